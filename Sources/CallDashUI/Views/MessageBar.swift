/// A message or question on the bottom bar. When it does not fit, it wraps at words into rows that
/// grow upward over the screen, so that what the user must read is never cut off (P1).
enum MessageBar {
    /// More than this many rows is an essay, not a message: the last row then ends in "…".
    static let maxRows = 4

    /// Draws `text` so that its last row is `bar`'s, within `room` cells from the bar's left edge;
    /// rows above the bar span its whole width and never reach above `top`.
    static func draw(_ text: String, _ role: ThemeRole, bar: Rect, room: Int, top: Int, _ t: Theme, into b: inout CellBuffer) {
        let width = max(1, room - 2)
        var rows = StyledLine([(text, role)]).wrapped(width, atWords: true).map(\.text)
        let fit = max(1, min(maxRows, bar.y - top + 1))
        if rows.count > fit {
            rows = Array(rows.prefix(fit))
            rows[fit - 1] += " …"
        }
        for (n, row) in rows.enumerated() {
            let y = bar.y - (rows.count - 1) + n
            if y != bar.y { b.fill(Rect(x: bar.x, y: y, width: bar.width, height: 1), t[role]) }
            b.put(" " + row + " ", x: bar.x, y: y, maxWidth: room, t[role], ellipsis: true)
        }
    }
}
