/// The `?` overlay: every key of the screen that is up, from its binding tables.
enum HelpOverlay {
    /// The sections the overlay lists on each screen, that screen's own first.
    static func sections(_ screen: Screen) -> [HelpSection] {
        let typing = LineEditor.bindings.helpSections + CallsBindings.help.helpSections
        switch screen {
        case .calls:
            return CallsBindings.list.helpSections + CallsBindings.detail.helpSections + CallsBindings.search.helpSections
                + CallsBindings.replayTarget.helpSections + typing
        case .campaign:
            return CampaignBindings.screen.helpSections + CallsBindings.help.helpSections
        case .compose:
            return ComposeBindings.screen.helpSections + ComposeBindings.list.helpSections + ComposeBindings.editor.helpSections
                + ComposeBindings.preview.helpSections + ComposeBindings.editing.helpSections + ComposeBindings.palette.helpSections
                + ComposeBindings.callPicker.helpSections + ComposeBindings.confirm.helpSections + typing
        }
    }

    /// The overlay's lines on `screen`: each section's title and rows, a blank line between.
    static func lineCount(_ screen: Screen) -> Int {
        let all = sections(screen)
        return all.reduce(0) { $0 + 1 + $1.rows.count } + max(0, all.count - 1)
    }

    static func render(_ s: AppState, in screen: Rect, into b: inout CellBuffer) {
        guard let scroll = s.modals.helpScroll else { return }
        let t = s.theme
        let sections = sections(s.screen)
        let keysWidth = min(24, sections.flatMap(\.rows).map { TextWidth.of($0.keys) }.max() ?? 0) + 2
        var lines: [StyledLine] = []
        for section in sections {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine([(section.title, .overlayTitle)]))
            for row in section.rows {
                let pad = String(repeating: " ", count: max(1, keysWidth - TextWidth.of(row.keys)))
                lines.append(StyledLine([("  " + row.keys, .overlayKey), (pad + row.help, .overlayText)]))
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
        // "j/k scroll" only when there is more than fits.
        let hint = " " + CallsBindings.help.hint { more || $0 != .down } + " "
        b.put(hint, x: box.maxX - 1 - TextWidth.of(hint), y: box.maxY - 1, t[.overlayKey])
        if more {
            b.put(" lines \(top + 1)–\(top + inner.height) of \(lines.count) ", x: box.x + 9, y: box.y, t[.overlayKey])
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
