/// The detail pane: a title rule naming the call, then the scrolled window of its lines.
enum DetailView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, body: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let focused = s.focus == .detail
        let rule = focused ? t[.borderFocused] : t[.border]
        b.fill(area, t[.detailValue])
        if area.x > 0 {
            for y in area.y..<area.maxY { b.put("│", x: area.x, y: y, rule) }
            b.put("┌", x: area.x, y: area.y, rule) // beside the list, its edge turns into the title rule
        }
        let ruleX = area.x + (area.x > 0 ? 1 : 0)
        b.put(String(repeating: "─", count: max(0, area.maxX - ruleX)), x: ruleX, y: area.y, rule)
        var title = " detail "
        if let seq = s.detail.seq { title = " call #\(seq) " }
        let (count, top) = (s.detail.lines.count, s.detail.scroll)
        let end = count <= body.height ? "" : " lines \(top + 1)–\(min(top + body.height, count)) of \(count) "
        let x = ruleX + 1 + b.put(title, x: ruleX + 1, y: area.y, maxWidth: area.width - 2, t[.paneTitle])
        if focused {
            b.put(
                " \(CallsBindings.detail.hint) ", x: x, y: area.y, maxWidth: area.maxX - x - TextWidth.of(end) - 1, t[.border],
                ellipsis: true)
        }
        b.putRight(end, endX: area.maxX - 1, y: area.y, maxWidth: max(0, area.width - 2), rule)

        guard !body.isEmpty else { return }
        if s.detail.lines.isEmpty {
            let text = s.detail.seq == nil ? "No call selected" : "Loading…"
            b.put(text, x: body.x + 2, y: body.y, maxWidth: body.width - 2, t[.detailLabel])
            return
        }
        for r in 0..<body.height {
            let n = s.detail.scroll + r
            guard n < s.detail.lines.count else { break }
            draw(s.detail.lines[n], t, x: body.x + 1, y: body.y + r, width: body.width - 1, skip: s.detail.scrollX, into: &b)
            b.highlight(s.filter.freeText, y: body.y + r, from: body.x + 1, to: body.maxX) { t[.listMatch].over($0) }
        }
    }

    /// Draws a styled line from column `skip` on (horizontal scroll), cut at `width`.
    static func draw(_ line: StyledLine, _ t: Theme, x: Int, y: Int, width: Int, skip: Int, into b: inout CellBuffer) {
        var col = 0
        var x = x
        let end = x + width
        for span in line.spans {
            guard x < end else { return }
            let w = TextWidth.of(span.text)
            if col + w <= skip {
                col += w
                continue
            }
            var text = span.text
            if col < skip {
                // Drop whole characters until the scroll position.
                var dropped = 0
                var idx = text.startIndex
                while idx < text.endIndex, col + dropped < skip {
                    dropped += SafeText.width(text[idx])
                    idx = text.index(after: idx)
                }
                text = String(text[idx...])
                col += dropped
            }
            x += b.put(text, x: x, y: y, maxWidth: end - x, t[span.role].over(t[.detailValue]), ellipsis: true)
            col += TextWidth.of(text)
        }
    }
}
