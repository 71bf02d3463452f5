import CallDashCore

/// The preview: the exact request for the call, wrapped to the pane; below it what rendered
/// empty, the error with its position, and the verdict of the last test send.
enum ComposePreviewView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let c = s.compose
        b.fill(area, t[.detailValue])
        let bytes = c.preview.request.map { "\($0.body.count) B body " } ?? ""
        ComposeScreen.rule(" request ", right: bytes, focused: c.focus == .preview, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
        let width = area.width - 2
        var lines = c.preview.lines.flatMap { $0.wrapped(width) }
        var notes: [StyledLine] = []
        if let e = c.preview.error {
            notes.append(StyledLine([("✗ \(e.field), column \(e.column): \(e.problem)", .detailError)]))
            if let suggestion = e.suggestion {
                notes.append(StyledLine([("  did you mean ", .detailLabel), (e.problem.contains("{{") ? "{{\(suggestion)}}" : suggestion, .editorVariable), ("?", .detailLabel)]))
            }
            notes.append(StyledLine([("Nothing is sent while the template has a mistake.", .listDim)]))
        } else if c.draft == nil {
            notes.append(StyledLine([("The request appears here as you type.", .listDim)]))
        }
        if !c.preview.empty.isEmpty {
            notes.append(StyledLine([("○ empty for this call: ", .detailWarning), (c.preview.empty.map { "{{\($0)}}" }.joined(separator: " "), .editorVariable)]))
        }
        if let test = c.test { notes += verdict(test) }
        lines += [StyledLine()] + notes.flatMap { $0.wrapped(width) }
        let body = Rect(x: area.x + 1, y: area.y + 1, width: width, height: area.height - 1)
        let top = min(c.previewScroll, max(0, lines.count - body.height))
        for (n, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            DetailView.draw(line, t, x: body.x, y: body.y + n, width: body.width, skip: 0, into: &b)
        }
    }

    static func verdict(_ test: TestSend) -> [StyledLine] {
        switch test {
        case let .sending(toSelf):
            return [StyledLine([(toSelf ? "sending to itself…" : "sending a test…", .detailWarning)])]
        case let .done(v, toSelf):
            let what = toSelf ? "sent to itself" : "test"
            guard let status = v.status else {
                return [StyledLine([("✗ \(what): no answer after \(v.millis) ms (\(v.failure ?? "failed")): the provider counts that as a failure", .detailError)])]
            }
            var out = [StyledLine([
                (v.delivered ? "✓ " : "✗ ", v.delivered ? .detailGood : .detailError),
                ("\(what) → \(status) in \(v.millis) ms: ", .detailValue),
                (v.delivered ? "delivered (the provider counts 200 and 202)" : "not delivered: the provider counts only 200 and 202", v.delivered ? .detailGood : .detailError),
            ])]
            if toSelf, v.delivered { out.append(StyledLine([("  Esc shows it in Calls, mapped back through this webhook", .detailLabel)])) }
            if !v.reply.isEmpty { out.append(StyledLine([("  reply: ", .detailLabel), (String(v.reply.prefix(300)), .detailValue)])) }
            return out
        }
    }
}

/// The variables with the selected call's values; Enter puts the one under the cursor into the text.
enum PaletteOverlay {
    static func render(_ s: AppState, _ t: Theme, in screen: Rect, into b: inout CellBuffer) {
        let items = ComposeState.palette(s.composeValues)
        let nameWidth = items.map { $0.name.count + 4 }.max() ?? 0
        let w = min(screen.width - 4, max(40, nameWidth + 34))
        let h = min(screen.height - 2, items.count + 4)
        let box = Rect(x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w, height: h)
        guard box.width > 10, box.height > 4 else { return }
        HelpOverlay.frame(box, title: " Variables · \(ComposeScreen.callLabel(s)) ", t, into: &b)
        b.putRight(" Enter inserts · Esc closes ", endX: box.maxX - 1, y: box.maxY - 1, maxWidth: box.width - 2, t[.overlayKey])
        let rows = box.height - 3
        let cursor = s.compose.palette ?? 0
        let top = max(0, cursor - rows + 1)
        for (n, item) in items.enumerated().dropFirst(top).prefix(rows) {
            let y = box.y + 2 + n - top
            let style = n == cursor ? t[.listCursor] : t[.overlayKey]
            if n == cursor { b.fill(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), style) }
            let x = box.x + 2 + b.put("{{\(item.name)}}", x: box.x + 2, y: y, style)
            let value = item.value.map { $0.isEmpty ? "(empty)" : $0 } ?? "(not in this call: renders empty)"
            b.put(value, x: max(x + 1, box.x + 2 + nameWidth), y: y, maxWidth: box.maxX - 2 - max(x + 1, box.x + 2 + nameWidth), n == cursor ? style : t[.overlayText], ellipsis: true)
        }
    }
}
