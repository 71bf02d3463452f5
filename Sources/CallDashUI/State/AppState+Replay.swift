import CallDashCore

/// `R`: the selected call sent again, as it arrived, to the user's app, and the app's answer
/// shown in place (on the bar and in the detail).
extension AppState {
    mutating func replaySelected() -> [Effect] {
        guard let seq = selectedSeq else { return [] }
        guard let url = replayURL else {
            modals.push(.replayTarget(LineEditor("http://localhost:3000"), seq: seq))
            return []
        }
        return replay(seq, to: url)
    }

    /// Typing the app's URL; Enter keeps it for the run and replays the call to it.
    mutating func replayTargetKey(_ key: Key, _ editor: LineEditor, seq: UInt64) -> [Effect] {
        if let command = CallsBindings.replayTarget.command(for: key) {
            switch command {
            case .cancel:
                modals.pop()
                say("nothing replayed")
                return []
            case .send:
                let url = editor.text.filter { $0 != " " }
                guard let target = RenderedRequest.target(of: url), target.scheme == "http" || target.scheme == "https" else {
                    say("\(url.isEmpty ? "an empty URL" : url) is not an http:// or https:// URL (Esc sends nothing)", isError: true)
                    return []
                }
                modals.pop()
                replayURL = url
                return replay(seq, to: url)
            }
        }
        var editor = editor
        if case .paste(let text) = key {
            editor.insert(text.filter { !$0.isNewline })
        } else {
            guard editor.handle(key) else { return [] }
        }
        modals.replaceTop(.replayTarget(editor, seq: seq))
        return []
    }

    private mutating func replay(_ seq: UInt64, to url: String) -> [Effect] {
        guard let record = detail.record, record.seq == seq else {
            say("call #\(seq) is still being read: press R again in a moment", isError: true)
            return []
        }
        guard let resend = Resend(record, to: url, replayOf: seq) else { return [] }
        if resend.bodyWasCut {
            say("#\(seq) is not replayed: its body was cut when it arrived (calldash replay --allow-truncated sends what was kept)", isError: true)
            return []
        }
        replays[seq] = ReplayState(url: url, verdict: nil)
        rebuildDetail()
        let masked = resend.maskedAuthorizationLeftOut ? " (its Authorization was masked: not sent)" : ""
        say("replaying #\(seq) to \(url)…\(masked)")
        return [.replay(resend.request, seq: seq)]
    }

    mutating func replayed(_ seq: UInt64, _ verdict: SendVerdict) {
        guard var state = replays[seq] else { return }
        state.verdict = verdict
        replays[seq] = state
        say("#\(seq) replayed to \(state.url): \(Self.answer(verdict))", isError: !verdict.delivered)
        if detail.seq == seq { rebuildDetail() }
    }

    /// "200 in 12 ms", "500 in 3 ms (not delivered)", "no answer: connection refused".
    static func answer(_ v: SendVerdict) -> String {
        guard let status = v.status else { return "no answer: \(v.failure ?? "no reply")" }
        return "\(status) in \(v.millis) ms" + (v.delivered ? "" : " (not delivered: only 200 and 202 are)")
    }
}
