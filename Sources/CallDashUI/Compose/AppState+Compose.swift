import CallDashCore

/// The Compose screen's keys and events: the list of webhooks, the editor, the palette and
/// the questions asked before anything is lost.
extension AppState {
    /// The values the preview renders with: the call selected in Calls, or the provider's sample.
    public var composeValues: TemplateValues { detail.record.map(TemplateValues.init) ?? .sample }

    /// Re-renders the preview: on every keystroke that changes the draft, and when the call changes.
    public mutating func refreshPreview() {
        guard let w = compose.draft?.webhook else {
            compose.preview = ComposePreview()
            if case .done = compose.test { compose.test = nil }
            return
        }
        let before = compose.preview.lines
        compose.preview = ComposePreview(w, values: composeValues, secrets: compose.secrets)
        if compose.preview.lines != before, case .done(let v, let toSelf, _) = compose.test {
            compose.test = .done(v, toSelf: toSelf, stale: true)
        }
    }

    mutating func openCompose() -> [Effect] {
        screen = .compose
        message = nil // a message from Calls would hide Compose's keys
        // The preview stays on the call chosen, not on each new arrival; Esc resumes following.
        compose.resumeFollow = follow
        follow = false
        if compose.draft == nil, let i = compose.entries.indices.first(where: { compose.entries[$0].id != nil }) {
            compose.listCursor = i
            open(entry: i)
        }
        refreshPreview()
        return [.reloadWebhooks]
    }

    /// Keys outside the modes: the focused pane's table first, then the screen's.
    mutating func composeKey(_ key: Key) -> [Effect] {
        switch compose.focus {
        case .list: if let c = ComposeBindings.list.command(for: key) { return webhookListCommand(c) }
        case .editor: if let c = ComposeBindings.editor.command(for: key) { return editorCommand(c) }
        case .preview: if let c = ComposeBindings.preview.command(for: key) { return previewCommand(c) }
        }
        guard let command = ComposeBindings.screen.command(for: key) else { return [] }
        switch command {
        case .quit:
            if compose.draft?.isDirty == true {
                modals.push(.confirm(.quit))
                return []
            }
            return [.quit]
        case .help:
            openHelp()
        case .back:
            screen = .calls
            message = nil
            if compose.resumeFollow { return move(to: headRow) }
        case .nextPane:
            switch compose.focus {
            case .list: compose.focus = .editor
            case .editor: compose.focus = .preview
            case .preview: compose.focus = .list
            }
        case .previousPane:
            switch compose.focus {
            case .list: compose.focus = .preview
            case .editor: compose.focus = .list
            case .preview: compose.focus = .editor
            }
        case .save: return save(overwrite: false)
        case .new: return guarded(.new)
        case .duplicate: return guarded(.duplicate)
        case .reload: return guarded(.reload)
        case .delete: askDelete()
        case .sendTest: return sendTest(toSelf: false)
        case .sendToItself: return sendTest(toSelf: true)
        case .previousCall, .nextCall:
            // Another call for the preview: the previous or next one in the Calls list (the
            // preview is redrawn when its record has been read).
            return move(to: cursor + (command == .nextCall ? 1 : -1))
        case .undo:
            guard let last = compose.undo.popLast() else {
                say("nothing to undo")
                return []
            }
            compose.draft?.webhook = last
            clampRow()
            refreshPreview()
        case .palette:
            openPalette()
        case .pickCall:
            guard visible.count > 0 else {
                say("no calls yet: the preview uses the provider's sample call", isError: true)
                return []
            }
            modals.push(.callPicker(row: cursor))
        }
        return []
    }

    // MARK: the list

    private mutating func webhookListCommand(_ command: WebhookListCommand) -> [Effect] {
        switch command {
        case .down: compose.listCursor = min(compose.listCursor + 1, max(0, compose.entries.count - 1))
        case .up: compose.listCursor = max(compose.listCursor - 1, 0)
        case .open:
            guard compose.entries.indices.contains(compose.listCursor) else { return [] }
            return guarded(.open(compose.listCursor))
        }
        return []
    }

    /// Runs `action`, first asking when it would drop unsaved changes.
    mutating func guarded(_ action: ComposeAction) -> [Effect] {
        if compose.draft?.isDirty == true, action != .duplicate {
            if case .open(let i) = action, compose.entries[i].path == compose.draft?.file {
                compose.focus = .editor
                return []
            }
            modals.push(.confirm(.discard(then: action)))
            return []
        }
        return run(action)
    }

    mutating func run(_ action: ComposeAction) -> [Effect] {
        switch action {
        case .open(let i):
            open(entry: i)
            compose.focus = .editor
        case .new:
            let id = WebhookFolder.nextID(after: compose.entries)
            let w = Webhook(
                id: id, name: "webhook \(id)", method: .POST, format: .json, url: "https://example.com/calls?call_id={{id}}",
                body: [NameValue("status", "{{status}}"), NameValue("to", "{{to}}")])
            start(Draft(webhook: w, file: WebhookFolder(path: compose.folder).file(for: id)))
            say("new webhook \(id): edit it, then s saves it")
        case .duplicate:
            guard let d = compose.draft else {
                say("nothing to duplicate: open a webhook first", isError: true)
                return []
            }
            let id = max(WebhookFolder.nextID(after: compose.entries), d.webhook.id + 1)
            var w = d.webhook
            w.id = id
            w.name += " copy"
            start(Draft(webhook: w, file: WebhookFolder(path: compose.folder).file(for: id)))
            say("duplicated as webhook \(id) (not saved yet)")
        case .reload:
            if let d = compose.draft, let i = compose.entries.firstIndex(where: { $0.path == d.file }) {
                open(entry: i)
                say("reloaded \(WebhookFolder.fileName(d.file)) from disk")
            }
            return [.reloadWebhooks]
        }
        return []
    }

    mutating func start(_ draft: Draft) {
        compose.draft = draft
        if case .done = compose.test { compose.test = nil } // a verdict is about the webhook it was sent for
        compose.undo = []
        compose.row = 0
        compose.focus = .editor
        refreshPreview()
    }

    /// Opens a listed file in the editor; a broken one is shown with its problem, not opened.
    mutating func open(entry i: Int) {
        let e = compose.entries[i]
        compose.listCursor = i
        guard case .success(let w) = e.content else {
            compose.draft = nil
            refreshPreview()
            return
        }
        start(Draft(webhook: w, file: e.path, stamp: e.stamp, saved: w))
    }

    /// Asks before deleting: the webhook highlighted in the list while the list has focus, else
    /// the open one; a new webhook that was never saved is discarded instead (after asking).
    mutating func askDelete() {
        let file: String?
        if compose.focus == .list || compose.draft == nil {
            file = compose.entries.indices.contains(compose.listCursor) ? compose.entries[compose.listCursor].path : nil
        } else if let d = compose.draft, !compose.entries.contains(where: { $0.path == d.file }) {
            modals.push(.confirm(.discardNew(name: d.webhook.name)))
            return
        } else {
            file = compose.draft?.file
        }
        guard let file, let entry = compose.entries.first(where: { $0.path == file }) else {
            say("no webhook selected", isError: true)
            return
        }
        let name = try? entry.content.get().name
        modals.push(.confirm(.delete(file: file, stamp: entry.stamp, name: name)))
    }

    mutating func answer(_ question: ComposeConfirm, _ key: Key) -> [Effect] {
        modals.pop()
        guard ComposeBindings.confirm.command(for: key) == .yes else {
            say("cancelled")
            return []
        }
        switch question {
        case .discardNew:
            compose.draft = nil
            compose.undo = []
            compose.focus = .list
            refreshPreview()
            say("discarded the new webhook")
            return []
        case .delete(let file, let stamp, _): return [.deleteWebhook(file: file, expected: stamp)]
        case .discard(let action): return run(action)
        case .overwrite: return save(overwrite: true)
        case .quit: return [.quit]
        }
    }
}
