import CallDashCore

/// `R`: the selected call sent again, as it arrived, to the user's app; `M`: the same after its
/// body was edited in the user's editor. The app's answer is shown in place (on the bar and in
/// the detail).
extension AppState {
    mutating func replaySelected(edit: Bool) -> [Effect] {
        guard let seq = selectedSeq else { return [] }
        guard let url = replayURL else {
            modals.push(.replayTarget(LineEditor(rejectedURL ?? ""), then: .replay(seq: seq, edit: edit)))
            return []
        }
        return replay(seq, to: url, edit: edit)
    }

    /// Typing the app's URL; Enter keeps it for the run (and replays the call to it). A URL that
    /// cannot be sent to closes the prompt with why, and is offered again for correcting.
    mutating func replayTargetKey(_ key: Key, _ editor: LineEditor, then next: ReplayNext) -> [Effect] {
        if let command = CallsBindings.replayTarget.command(for: key) {
            modals.pop()
            switch command {
            case .cancel:
                say(next == .keepURL ? "the app's URL is unchanged" : "nothing replayed")
                return []
            case .send:
                let url = editor.text.filter { $0 != " " }
                if let problem = RenderedRequest.urlProblem(url) {
                    rejectedURL = url
                    say("\(url.isEmpty ? "no URL" : url): \(problem); nothing sent (R or U asks again)", isError: true)
                    return []
                }
                rejectedURL = nil
                replayURL = url
                switch next {
                case .keepURL:
                    say("R and M now replay to \(url)")
                    return []
                case .replay(let seq, let edit):
                    return replay(seq, to: url, edit: edit)
                }
            }
        }
        var editor = editor
        if case .paste(let text) = key {
            editor.insert(text.filter { !$0.isNewline })
        } else {
            guard editor.handle(key) else { return [] }
        }
        modals.replaceTop(.replayTarget(editor, then: next))
        return []
    }

    private mutating func replay(_ seq: UInt64, to url: String, edit: Bool) -> [Effect] {
        guard let record = detail.record, record.seq == seq else {
            say("call #\(seq) is still being read: press R again in a moment", isError: true)
            return []
        }
        guard let resend = Resend(record, to: url, replayOf: seq) else { return [] }
        if let why = resend.unsendable {
            say("#\(seq) is not replayed: \(why)", isError: true)
            return []
        }
        switch resend.kept {
        case .whole: break
        case .firstPart:
            say(
                "#\(seq) is not replayed: its body was cut to 64 KiB when it arrived (calldash replay --allow-truncated sends that part)",
                isError: true)
            return []
        case .nothing:
            say("#\(seq) is not replayed: it came without the token, so only its headers were kept", isError: true)
            return []
        }
        let masked = resend.maskedAuthorizationLeftOut ? " (its Authorization was masked: not sent)" : ""
        if edit {
            replays[seq] = ReplayState(url: url, stage: .editing(resend.request))
            rebuildDetail()
            say("editing the body of #\(seq); it is replayed to \(url) when the editor closes\(masked)")
            return [.editBody(resend.request, seq: seq)]
        }
        replays[seq] = ReplayState(url: url, stage: .sending)
        rebuildDetail()
        say("replaying #\(seq) to \(url)…\(masked)")
        return [.replay(resend.request, seq: seq)]
    }

    /// The editor closed: the edited body is sent, or why not is said.
    mutating func edited(_ seq: UInt64, _ result: Result<[UInt8], EditFailure>) -> [Effect] {
        guard var state = replays[seq], case .editing(var request) = state.stage else { return [] }
        switch result {
        case .failure(let f):
            state.stage = .notSent(f.reason)
            replays[seq] = state
            if detail.seq == seq { rebuildDetail() }
            say("#\(seq) not replayed: \(f.reason)", isError: true)
            return []
        case .success(let body):
            request.body = body
            request.maskedBody = body
            state.stage = .sending
            state.edited = true
            replays[seq] = state
            if detail.seq == seq { rebuildDetail() }
            say("replaying #\(seq) with the edited body (\(CallText.count(body.count)) bytes) to \(state.url)…")
            return [.replay(request, seq: seq)]
        }
    }

    mutating func replayed(_ seq: UInt64, _ verdict: SendVerdict) {
        guard var state = replays[seq] else { return }
        state.stage = .answered(verdict)
        replays[seq] = state
        let edited = state.edited ? " with the edited body" : ""
        say(
            verdict.status == nil
                ? "#\(seq) could not be replayed\(edited) to \(state.url): \(verdict.failure ?? "no answer")"
                : "#\(seq) replayed\(edited) to \(state.url): \(verdict.summary)", isError: !verdict.delivered)
        if detail.seq == seq { rebuildDetail() }
    }
}
