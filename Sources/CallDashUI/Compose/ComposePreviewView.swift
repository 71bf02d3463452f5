import CallDashCore

/// The preview: the exact request for the call, wrapped to the pane; below it what rendered
/// empty, the error with its position, and the verdict of the last test send.
enum ComposePreviewView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let c = s.compose
        b.fill(area, t[.detailValue])
        let bytes = c.preview.request.map { "\($0.body.count) B body " } ?? ""
        ComposeScreen.rule(
            " request ", right: bytes, focused: c.focus == .preview, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
        let body = text(area)
        let lines = content(c, width: body.width)
        let top = min(c.previewScroll, max(0, lines.count - body.height))
        for (n, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            DetailView.draw(line, t, x: body.x, y: body.y + n, width: body.width, skip: 0, into: &b)
        }
    }

    /// Where the text goes: below the title rule, a cell in from each side.
    static func text(_ area: Rect) -> Rect { Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 1) }

    /// Every line the pane can show, wrapped to `width`: the request, then the notes under it.
    static func content(_ c: ComposeState, width: Int) -> [StyledLine] {
        let lines = c.preview.lines.flatMap { $0.wrapped(width, continuation: "↪ ") }
        var notes: [StyledLine] = []
        if let e = c.preview.error {
            notes.append(StyledLine([("✗ \(e.location), column \(e.column): \(e.problem)", .detailError)]))
            if let suggestion = e.suggestion {
                notes.append(
                    StyledLine([
                        ("  did you mean ", .detailLabel), ("{{\(suggestion)}}", .editorVariable),
                        ("?", .detailLabel)
                    ]))
            }
            notes.append(
                StyledLine([
                    (
                        e.isAboutValues
                            ? "Nothing is sent until this is fixed; the webhook can still be saved."
                            : "Nothing is sent or saved while the template has this mistake.", .listDim
                    )
                ]))
        } else if c.draft == nil {
            notes.append(StyledLine([("The request appears here as you type.", .listDim)]))
        }
        if let why = c.preview.request?.unsendable {
            notes.append(StyledLine([("⚠ \(why)", .detailWarning)]))
            notes.append(
                StyledLine([("Nothing is sent until it is set (then restart calldash); the webhook can still be saved.", .listDim)]))
        }
        if !c.preview.empty.isEmpty {
            notes.append(
                StyledLine([
                    ("○ empty for this call: ", .detailWarning),
                    (c.preview.empty.map { "{{\($0)}}" }.joined(separator: " "), .editorVariable)
                ]))
        }
        if let test = c.test {
            notes += verdict(test, masking: SecretRedactor(secrets: c.secrets.values), unsaved: c.draft.map { $0.isDirty } ?? false)
        }
        return lines + [StyledLine()] + notes.flatMap { $0.wrapped(width, atWords: true) }
    }

    /// The verdict of a test send; the server's reply has the secrets masked (an echo would show them).
    /// `unsaved`: the draft differs from its file, which is what a receiver maps payloads back through.
    static func verdict(_ test: TestSend, masking redactor: SecretRedactor, unsaved: Bool) -> [StyledLine] {
        switch test {
        case .sending(let toSelf):
            return [StyledLine([(toSelf ? "sending to itself…" : "sending a test…", .detailWarning)])]
        case .done(let v, let toSelf, let stale):
            let what = (stale ? "(an earlier version of the request) " : "") + (toSelf ? "sent to itself" : "test")
            guard let status = v.status else {
                return [
                    StyledLine([
                        (
                            "✗ \(what): not delivered: \(v.failure ?? "no answer") (\(v.millis) ms); the provider counts that as a failure",
                            .detailError
                        )
                    ])
                ]
            }
            var out = [
                StyledLine([
                    (v.delivered ? "✓ " : "✗ ", v.delivered ? .detailGood : .detailError),
                    ("\(what) → \(status) in \(v.millis) ms: ", .detailValue),
                    (
                        v.delivered ? "delivered (the provider counts 200 and 202)" : "not delivered: the provider counts only 200 and 202",
                        v.delivered ? .detailGood : .detailError
                    )
                ])
            ]
            if toSelf, v.delivered {
                let mapping =
                    unsaved
                    ? "mapped back through this webhook's saved file, not these unsaved changes"
                    : "mapped back through this webhook by a receiver whose webhooks folder has it"
                out.append(StyledLine([("  Esc shows it in Calls, \(mapping)", .detailLabel)]))
            }
            if !v.reply.isEmpty {
                out.append(StyledLine([("  reply: ", .detailLabel), (redactor.redact(String(v.reply.prefix(300))), .detailValue)]))
            }
            return out
        }
    }
}
