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
