import CallDashCore

/// The Compose screen as the dashboard sees it: opening it, handing it keys, clicks and events
/// with the context it reads (`ComposeContext`), and carrying out what it asks (`ComposeRequest`).
extension AppState {
    /// The values the preview renders with: the call selected in Calls, or the provider's sample.
    public var composeValues: TemplateValues { detail.record.map(TemplateValues.init) ?? .sample }

    /// Re-renders the preview for the call now selected (after it was read back).
    public mutating func refreshPreview() {
        compose.values = composeValues
        compose.refreshPreview()
    }

    var composeContext: ComposeContext { ComposeContext(cursor: cursor, calls: visible.count, width: width, height: height) }

    /// Runs `body` on Compose, then does what it asked.
    mutating func inCompose(_ body: (inout ComposeState, ComposeContext) -> [Effect]) -> [Effect] {
        var effects = body(&compose, composeContext)
        for request in compose.takeRequests() {
            switch request {
            case .say(let text, let isError): say(text, isError: isError)
            case .help: openHelp()
            case .back:
                screen = .calls
                message = nil
                if compose.resumeFollow { effects += move(to: headRow) }
            case .previewCall(let row):
                effects += move(to: row)
                follow = false // the preview stays on the call chosen, even the newest
                pickerReturn?.seq = selectedSeq
            case .searchCalls:
                if pickerReturn == nil { pickerReturn = PickerReturn(filter: pendingFilter ?? filter, seq: selectedSeq) }
                openSearch()
            case .show(let other): screen = other
            case .pickerClosed:
                // The picker's search was for the picker: Calls gets its own filter back, on the
                // call chosen (or the one previewed before).
                guard let back = pickerReturn else { break }
                pickerReturn = nil
                selectedSeq = back.seq
                effects += apply(back.filter)
            }
        }
        return effects
    }

    mutating func openCompose() -> [Effect] {
        screen = .compose
        message = nil // a message from Calls would hide Compose's keys
        // The preview stays on the call chosen, not on each new arrival; Esc resumes following.
        compose.resumeFollow = follow
        follow = false
        compose.values = composeValues
        if compose.draft == nil, let i = compose.entries.indices.first(where: { compose.entries[$0].id != nil }) {
            compose.listCursor = i
            compose.open(entry: i)
        }
        compose.refreshPreview()
        return [.reloadWebhooks]
    }
}
