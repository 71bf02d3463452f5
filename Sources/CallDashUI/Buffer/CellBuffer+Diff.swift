extension CellBuffer {
    /// A cell to write to the screen at (x, y).
    public struct Change: Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var cell: Cell
    }

    /// The cells to write to turn a screen showing `previous` into this buffer: every cell when
    /// there is no previous frame or its size differs, else the cells that changed. The
    /// continuation half of a wide character is never written (the character covers it), and a
    /// cell whose right neighbour changed is written again, since the terminal may have drawn a
    /// wide character there that the neighbour's new text cuts in half.
    public func diff(from previous: CellBuffer?) -> [Change] {
        let full = previous.map { $0.width != width || $0.height != height } ?? true
        var out: [Change] = []
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                if !full, let p = previous, p[x, y] == cell, x + 1 >= width || p[x + 1, y] == self[x + 1, y] { continue }
                out.append(Change(x: x, y: y, cell: cell))
            }
        }
        return out
    }
}
