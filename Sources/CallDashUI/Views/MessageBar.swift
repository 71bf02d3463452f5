/// A message or question on the bottom bar. When it does not fit beside what the bar must keep,
/// it goes whole, wrapped at words, on rows just above the bar at the screen's full width, so
/// that what the user must read is never cut off (P1); Esc dismisses it.
enum MessageBar {
    /// More than this many rows is an essay, not a message: the last row then ends in "…".
    static let maxRows = 4

    /// Draws `text` on `bar` when it fits in `room` cells and returns true; otherwise draws it
    /// above the bar, never above `top`, and returns false (the bar keeps its own content).
    @discardableResult
    static func draw(_ text: String, _ role: ThemeRole, bar: Rect, room: Int, top: Int, _ t: Theme, into b: inout CellBuffer) -> Bool {
        if TextWidth.of(text) + 2 <= room {
            b.put(" " + text + " ", x: bar.x, y: bar.y, maxWidth: room, t[role])
            return true
        }
        var rows = StyledLine([(text, role)]).wrapped(max(1, bar.width - 2), atWords: true).map(\.text)
        let fit = max(1, min(maxRows, bar.y - top))
        if rows.count > fit {
            rows = Array(rows.prefix(fit))
            rows[fit - 1] += " …"
        }
        for (n, row) in rows.enumerated() {
            let y = bar.y - rows.count + n
            b.fill(Rect(x: bar.x, y: y, width: bar.width, height: 1), t[role])
            b.put(" " + row, x: bar.x, y: y, maxWidth: bar.width, t[role], ellipsis: true)
        }
        return false
    }
}
