/// A grid of cells that views draw into; the terminal backend copies it to the screen,
/// writing only the cells that changed since the previous frame.
public struct CellBuffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style), count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Sets the style of every cell in `rect` and blanks it.
    public mutating func fill(_ rect: Rect, _ style: Style) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x] = Cell(" ", style) }
        }
    }

    /// Draws `text` from (x, y), at most `maxWidth` columns, made safe first; a wide character
    /// that does not fit leaves a blank. With `ellipsis`, text cut short ends in "…".
    /// Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, _ style: Style, ellipsis: Bool = false) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        var col = 0
        var it = text.lazy.flatMap(SafeText.glyphs).makeIterator()
        var pending = it.next()
        while let c = pending {
            let w = TextWidth.of(c)
            pending = it.next()
            let reserve = ellipsis && pending != nil ? 1 : 0
            if col + w > limit - reserve {
                if ellipsis && col < limit {
                    set(x + col, y, "…", style)
                    col += 1
                }
                break
            }
            if x + col >= 0 {
                set(x + col, y, String(c), style)
                if w == 2 { set(x + col + 1, y, "", style) }
            }
            col += w
        }
        return col
    }

    /// Draws `text` right-aligned so that it ends just before column `endX`.
    public mutating func putRight(_ text: String, endX: Int, y: Int, maxWidth: Int, _ style: Style) {
        let w = min(TextWidth.of(text), maxWidth)
        put(text, x: endX - w, y: y, maxWidth: maxWidth, style, ellipsis: true)
    }

    private mutating func set(_ x: Int, _ y: Int, _ text: String, _ style: Style) {
        guard x >= 0, x < width else { return }
        let i = y * width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[i].isContinuation, x > 0 { cells[i - 1].text = " " }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation, !text.isEmpty { cells[i + 1].text = " " }
        cells[i] = Cell(text, style)
    }

    private func clip(_ r: Rect) -> Rect {
        let x0 = max(0, r.x)
        let y0 = max(0, r.y)
        return Rect(x: x0, y: y0, width: min(r.maxX, width) - x0, height: min(r.maxY, height) - y0)
    }

    /// The text of each row, trailing spaces kept: what snapshot tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width { s += cells[y * width + x].text }
            return s
        }
    }
}
