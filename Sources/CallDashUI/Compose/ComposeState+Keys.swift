import CallDashCore

/// The Compose screen's keys and events: the list of webhooks, the editor, the palette and
/// the questions asked before anything is lost.
extension ComposeState {
    /// Re-renders the preview for `values`: on every keystroke that changes the draft, and
    /// when the call changes.
    mutating func refreshPreview() {
        guard let w = draft?.webhook else {
            preview = ComposePreview()
            if case .done = test { test = nil }
            return
        }
        let before = preview.lines
        preview = ComposePreview(w, values: values, secrets: secrets)
        if preview.lines != before, case .done(let v, let toSelf, _) = test { test = .done(v, toSelf: toSelf, stale: true) }
    }

    /// Handles a key: the open mode first (a question, the palette, the call picker, a line
    /// being typed), then the panes and the screen.
    mutating func handle(_ key: Key, _ ctx: ComposeContext) -> [Effect] {
        switch modals.top {
        case .confirm(let question): return answer(question, key)
        case .palette(let cursor): return paletteKey(key, cursor: cursor)
        case .callPicker(let row): return pickerKey(key, row: row, ctx)
        case .editing(let edit): return editKey(key, edit, ctx)
        case nil: return screenKey(key, ctx)
        }
    }

    mutating func tell(_ text: String, isError: Bool = false) { requests.append(.say(text, isError: isError)) }

    /// What was asked of the dashboard since the last call (and forgets it).
    mutating func takeRequests() -> [ComposeRequest] {
        defer { requests = [] }
        return requests
    }

    /// Keys outside the modes: the focused pane's table first, then the screen's.
    mutating func screenKey(_ key: Key, _ ctx: ComposeContext) -> [Effect] {
        switch focus {
        case .list: if let c = ComposeBindings.list.command(for: key) { return webhookListCommand(c) }
        case .editor: if let c = ComposeBindings.editor.command(for: key) { return editorCommand(c) }
        case .preview: if let c = ComposeBindings.preview.command(for: key) { return previewCommand(c, ctx) }
        }
        guard let command = ComposeBindings.screen.command(for: key) else { return [] }
        switch command {
        case .quit:
            if draft?.isDirty == true {
                modals.push(.confirm(.quit(from: nil)))
                return []
            }
            return [.quit]
        case .help:
            requests.append(.help)
        case .back:
            requests.append(.back)
        case .nextPane:
            switch focus {
            case .list: focus = .editor
            case .editor: focus = .preview
            case .preview: focus = .list
            }
        case .previousPane:
            switch focus {
            case .list: focus = .preview
            case .editor: focus = .list
            case .preview: focus = .editor
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
            requests.append(.previewCall(row: ctx.cursor + (command == .nextCall ? 1 : -1)))
        case .undo:
            guard let last = undo.popLast() else {
                tell("nothing to undo")
                return []
            }
            draft?.webhook = last
            clampRow()
            refreshPreview()
        case .palette:
            openPalette()
        case .pickCall:
            guard ctx.calls > 0 else {
                tell("no calls yet: the preview uses the provider's sample call", isError: true)
                return []
            }
            modals.push(.callPicker(row: ctx.cursor))
        }
        return []
    }

    // MARK: the list

    private mutating func webhookListCommand(_ command: WebhookListCommand) -> [Effect] {
        switch command {
        case .down: listCursor = min(listCursor + 1, max(0, entries.count - 1))
        case .up: listCursor = max(listCursor - 1, 0)
        case .open:
            guard entries.indices.contains(listCursor) else { return [] }
            return guarded(.open(file: entries[listCursor].path))
        }
        return []
    }

    /// Runs `action`, first asking when it would drop unsaved changes.
    mutating func guarded(_ action: ComposeAction) -> [Effect] {
        if draft?.isDirty == true, action != .duplicate {
            if case .open(let file) = action, file == draft?.file {
                focus = .editor
                return []
            }
            modals.push(.confirm(.discard(then: action)))
            return []
        }
        return run(action)
    }

    mutating func run(_ action: ComposeAction) -> [Effect] {
        switch action {
        case .open(let file):
            guard let i = entries.firstIndex(where: { $0.path == file }) else {
                tell("\(WebhookFolder.fileName(file)) is no longer in the folder", isError: true)
                return []
            }
            open(entry: i)
            focus = .editor
        case .new:
            let id = WebhookFolder.nextID(after: entries)
            let w = Webhook(
                id: id, name: "webhook \(id)", method: .post, format: .json, url: "https://example.com/calls?call_id={{id}}",
                body: [NameValue("status", "{{status}}"), NameValue("to", "{{to}}")])
            start(Draft(webhook: w, file: WebhookFolder(path: folder).file(for: id)))
            tell("new webhook \(id): edit it, then s saves it")
        case .duplicate:
            guard let d = self.draft else {
                tell("nothing to duplicate: open a webhook first", isError: true)
                return []
            }
            let id = max(WebhookFolder.nextID(after: entries), d.webhook.id + 1)
            var w = d.webhook
            w.id = id
            w.name += " copy"
            start(Draft(webhook: w, file: WebhookFolder(path: folder).file(for: id)))
            tell("duplicated as webhook \(id) (not saved yet)")
        case .reload:
            if let d = self.draft, let i = self.entries.firstIndex(where: { $0.path == d.file }) {
                open(entry: i)
                tell("reloaded \(WebhookFolder.fileName(d.file)) from disk")
            }
            return [.reloadWebhooks]
        }
        return []
    }

    mutating func start(_ draft: Draft) {
        self.draft = draft
        if case .done = test { test = nil } // a verdict is about the webhook it was sent for
        undo = []
        row = 0
        focus = .editor
        refreshPreview()
    }

    /// Opens a listed file in the editor; a broken one is shown with its problem, not opened.
    mutating func open(entry i: Int) {
        let e = self.entries[i]
        listCursor = i
        guard case .success(let w) = e.content else {
            draft = nil
            refreshPreview()
            return
        }
        start(Draft(webhook: w, file: e.path, stamp: e.stamp, saved: w))
    }

    /// Asks before deleting: the webhook highlighted in the list while the list has focus, else
    /// the open one; a new webhook that was never saved is discarded instead (after asking).
    mutating func askDelete() {
        let file: String?
        if focus == .list || draft == nil {
            file = entries.indices.contains(listCursor) ? entries[listCursor].path : nil
        } else if let d = draft, !entries.contains(where: { $0.path == d.file }) {
            modals.push(.confirm(.discardNew(name: d.webhook.name)))
            return
        } else {
            file = draft?.file
        }
        guard let file, let entry = entries.first(where: { $0.path == file }) else {
            tell("no webhook selected", isError: true)
            return
        }
        let name = try? entry.content.get().name
        modals.push(.confirm(.delete(file: file, stamp: entry.stamp, name: name)))
    }

    mutating func answer(_ question: ComposeConfirm, _ key: Key) -> [Effect] {
        modals.pop()
        guard ComposeBindings.confirm.command(for: key) == .yes else {
            tell("cancelled")
            if case .quit(let from?) = question { requests.append(.show(from)) }
            return []
        }
        switch question {
        case .discardNew:
            draft = nil
            undo = []
            focus = .list
            refreshPreview()
            tell("discarded the new webhook")
            return []
        case .delete(let file, let stamp, _): return [.deleteWebhook(file: file, expected: stamp)]
        case .discard(let action): return run(action)
        case .overwrite: return save(overwrite: true)
        case .quit: return [.quit]
        }
    }
}
