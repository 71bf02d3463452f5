/// The `?` overlay: every key of the Calls screen, from `KeyHelp`.
enum HelpOverlay {
    static func render(_ t: Theme, scroll: Int, in screen: Rect, into b: inout CellBuffer) {
        var lines: [StyledLine] = []
        for (title, entries) in KeyHelp.sections {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine([(title, .overlayTitle)]))
            for e in entries {
                let pad = String(repeating: " ", count: max(1, 17 - TextWidth.of(e.keys)))
                lines.append(StyledLine([("  " + e.keys, .overlayKey), (pad + e.action, .overlayText)]))
            }
        }
        let contentWidth = lines.map { TextWidth.of($0.text) }.max() ?? 0
        let w = min(screen.width - 2, contentWidth + 4)
        let h = min(screen.height - 2, lines.count + 4)
        let box = Rect(x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w, height: h)
        guard box.width > 4, box.height > 3 else { return }
        frame(box, title: " Keys ", t, into: &b)
        let inner = Rect(x: box.x + 2, y: box.y + 2, width: box.width - 4, height: box.height - 4)
        let top = min(scroll, max(0, lines.count - inner.height))
        let more = lines.count > inner.height
        let closeHint = more ? " j/k scroll · ? or Esc closes " : " ? or Esc closes "
        b.put(closeHint, x: box.maxX - 1 - TextWidth.of(closeHint), y: box.maxY - 1, t[.overlayKey])
        if more {
            b.put(" \(top + inner.height)/\(lines.count) ", x: box.x + 9, y: box.y, t[.overlayKey])
        }
        for (n, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            DetailView.draw(line, t, x: inner.x, y: inner.y + n, width: inner.width, skip: 0, into: &b)
        }
    }

    /// A bordered box on the overlay colours, blanked, with its title on the top edge.
    static func frame(_ box: Rect, title: String, _ t: Theme, into b: inout CellBuffer) {
        b.fill(box, t[.overlayText])
        b.put("┌" + String(repeating: "─", count: box.width - 2) + "┐", x: box.x, y: box.y, t[.overlayTitle])
        b.put("└" + String(repeating: "─", count: box.width - 2) + "┘", x: box.x, y: box.maxY - 1, t[.overlayTitle])
        for y in (box.y + 1)..<(box.maxY - 1) {
            b.put("│", x: box.x, y: y, t[.overlayTitle])
            b.put("│", x: box.maxX - 1, y: y, t[.overlayTitle])
        }
        b.put(title, x: box.x + 2, y: box.y, maxWidth: box.width - 4, t[.overlayTitle], ellipsis: true)
    }
}
