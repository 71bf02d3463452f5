extension CellBuffer {
    /// Restyles every place `needle` shows between columns `x0` and `x1` of row `y`, ignoring case
    /// as the search does. It works on what was drawn, so a match is marked wherever it landed:
    /// in a right-aligned column, in a scrolled detail line, after a wide character.
    public mutating func highlight(_ needle: String, y: Int, from x0: Int, to x1: Int, _ restyle: (Style) -> Style) {
        guard !needle.isEmpty, y >= 0, y < height else { return }
        let pin = needle.map { $0.lowercased() }
        let start = max(0, x0)
        let end = min(width, x1)
        // The columns where a character starts, and its text folded as the search folds it.
        var columns: [Int] = []
        var folded: [String] = []
        for x in start..<max(start, end) where !self[x, y].isContinuation {
            columns.append(x)
            folded.append(self[x, y].text.lowercased())
        }
        guard pin.count <= folded.count else { return }
        var i = 0
        while i <= folded.count - pin.count {
            guard folded[i..<(i + pin.count)].elementsEqual(pin) else {
                i += 1
                continue
            }
            let last = columns[i + pin.count - 1]
            let through = last + 1 < end && self[last + 1, y].isContinuation ? last + 1 : last
            for x in columns[i]...through { self[x, y].style = restyle(self[x, y].style) }
            i += pin.count
        }
    }
}
