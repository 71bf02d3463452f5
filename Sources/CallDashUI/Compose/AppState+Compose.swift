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
            return
        }
        compose.preview = ComposePreview(w, values: composeValues, secrets: compose.secrets)
    }

    mutating func openCompose() -> [Effect] {
        screen = .compose
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

    mutating func composeKey(_ key: Key) -> [Effect] {
        if let question = compose.confirm { return answer(question, key) }
        if compose.palette != nil { return paletteKey(key) }
        if compose.callPicker != nil { return pickerKey(key) }
        if compose.editor != nil { return editKey(key) }
        switch key {
        case .char("q"):
            if compose.draft?.isDirty == true {
                compose.confirm = .quit
                return []
            }
            return [.quit]
        case .char("?"):
            showHelp = true
            helpScroll = KeyHelp.line(ofSection: "Compose")
        case .escape:
            screen = .calls
            if compose.resumeFollow { return move(to: headRow) }
        case .tab: compose.focus = [.list: .editor, .editor: .preview, .preview: .list][compose.focus]!
        case .backTab: compose.focus = [.list: .preview, .editor: .list, .preview: .editor][compose.focus]!
        case .char("s"), .ctrl("s"): return save(overwrite: false)
        case .char("n"): return guarded(.new)
        case .char("Y"): return guarded(.duplicate)
        case .char("R"): return guarded(.reload)
        case .char("X"): askDelete(compose.draft?.file ?? compose.entries[safe: compose.listCursor]?.path)
        case .char("t"): return sendTest(toSelf: false)
        case .char("T"): return sendTest(toSelf: true)
        case .char("["), .char("]"):
            // Another call for the preview: the previous or next one in the Calls list (the
            // preview is redrawn when its record has been read).
            return move(to: cursor + (key == .char("]") ? 1 : -1))
        case .char("u"), .ctrl("z"):
            guard let last = compose.undo.popLast() else {
                say("nothing to undo")
                return []
            }
            compose.draft?.webhook = last
            clampRow()
            refreshPreview()
        case .char("p"), .ctrl("p"):
            openPalette()
        case .char("C"):
            guard visible.count > 0 else {
                say("no calls yet: the preview uses the provider's sample call", isError: true)
                return []
            }
            compose.callPicker = cursor
        default:
            switch compose.focus {
            case .list: return listKeyCompose(key)
            case .editor: editorKey(key)
            case .preview: previewKey(key)
            }
        }
        return []
    }

    // MARK: the list

    mutating func listKeyCompose(_ key: Key) -> [Effect] {
        switch key {
        case .char("j"), .down: compose.listCursor = min(compose.listCursor + 1, max(0, compose.entries.count - 1))
        case .char("k"), .up: compose.listCursor = max(compose.listCursor - 1, 0)
        case .enter, .char("l"), .right:
            guard compose.entries.indices.contains(compose.listCursor) else { return [] }
            return guarded(.open(compose.listCursor))
        case .char("d"): askDelete(compose.entries[safe: compose.listCursor]?.path)
        default: break
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
            compose.confirm = .discard(then: action)
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

    /// Asks before deleting `file`: the open webhook's (X), else the one under the list cursor.
    mutating func askDelete(_ file: String?) {
        guard let file, let entry = compose.entries.first(where: { $0.path == file }) else {
            say(file == nil ? "no webhook selected" : "this webhook is not saved: there is no file to delete", isError: true)
            return
        }
        let name = try? entry.content.get().name
        compose.confirm = .delete(file: file, stamp: entry.stamp, name: name)
    }

    mutating func answer(_ question: ComposeConfirm, _ key: Key) -> [Effect] {
        compose.confirm = nil
        guard key == .char("y") || key == .char("Y") else {
            say("cancelled")
            return []
        }
        switch question {
        case .delete(let file, let stamp, _): return [.deleteWebhook(file: file, expected: stamp)]
        case .discard(let action): return run(action)
        case .overwrite: return save(overwrite: true)
        case .quit: return [.quit]
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
