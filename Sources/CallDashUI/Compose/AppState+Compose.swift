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
        case .char("X"): askDelete(draftFile: true)
        case .char("t"): return sendTest(toSelf: false)
        case .char("T"): return sendTest(toSelf: true)
        case .char("["), .char("]"):
            // Another call for the preview: the previous or next one in the Calls list.
            let effects = move(to: cursor + (key == .char("]") ? 1 : -1))
            refreshPreview()
            return effects
        case .char("u"), .ctrl("z"):
            guard let last = compose.undo.popLast() else { say("nothing to undo"); return [] }
            compose.draft?.webhook = last
            clampRow()
            refreshPreview()
        case .char("p"), .ctrl("p"):
            openPalette()
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

    private mutating func listKeyCompose(_ key: Key) -> [Effect] {
        switch key {
        case .char("j"), .down: compose.listCursor = min(compose.listCursor + 1, max(0, compose.entries.count - 1))
        case .char("k"), .up: compose.listCursor = max(compose.listCursor - 1, 0)
        case .enter, .char("l"), .right:
            guard compose.entries.indices.contains(compose.listCursor) else { return [] }
            return guarded(.open(compose.listCursor))
        case .char("d"): askDelete(draftFile: false)
        default: break
        }
        return []
    }

    /// Runs `action`, first asking when it would drop unsaved changes.
    private mutating func guarded(_ action: ComposeAction) -> [Effect] {
        if compose.draft?.isDirty == true, action != .duplicate {
            if case let .open(i) = action, compose.entries[i].path == compose.draft?.file {
                compose.focus = .editor
                return []
            }
            compose.confirm = .discard(then: action)
            return []
        }
        return run(action)
    }

    private mutating func run(_ action: ComposeAction) -> [Effect] {
        switch action {
        case let .open(i):
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
            guard let d = compose.draft else { say("nothing to duplicate: open a webhook first", isError: true); return [] }
            let id = max(WebhookFolder.nextID(after: compose.entries), d.webhook.id + 1)
            var w = d.webhook
            w.id = id
            w.name += " copy"
            start(Draft(webhook: w, file: WebhookFolder(path: compose.folder).file(for: id)))
            say("duplicated as webhook \(id) (not saved yet)")
        case .reload:
            if let d = compose.draft, let i = compose.entries.firstIndex(where: { $0.path == d.file }) {
                open(entry: i)
                say("reloaded \(shortName(d.file)) from disk")
            }
            return [.reloadWebhooks]
        }
        return []
    }

    private mutating func start(_ draft: Draft) {
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
        guard case let .success(w) = e.content else {
            compose.draft = nil
            refreshPreview()
            return
        }
        start(Draft(webhook: w, file: e.path, stamp: e.stamp, saved: w))
    }

    private mutating func askDelete(draftFile: Bool) {
        let file = draftFile ? compose.draft?.file : compose.entries[safe: compose.listCursor]?.path
        guard let file, let entry = compose.entries.first(where: { $0.path == file }) else {
            say(draftFile && compose.draft != nil ? "this webhook is not saved: there is no file to delete" : "no webhook selected", isError: true)
            return
        }
        let name = (try? entry.content.get().name) ?? shortName(file)
        compose.confirm = .delete(file: file, stamp: entry.stamp, name: name)
    }

    private mutating func answer(_ question: ComposeConfirm, _ key: Key) -> [Effect] {
        compose.confirm = nil
        guard key == .char("y") || key == .char("Y") else {
            say("cancelled")
            return []
        }
        switch question {
        case let .delete(file, stamp, _): return [.deleteWebhook(file: file, expected: stamp)]
        case let .discard(action): return run(action)
        case .overwrite: return save(overwrite: true)
        case .quit: return [.quit]
        }
    }

    // MARK: saving and sending

    private mutating func save(overwrite: Bool) -> [Effect] {
        guard let d = compose.draft else { say("nothing to save: open a webhook or n for a new one", isError: true); return [] }
        if let e = compose.preview.error, !e.problem.hasPrefix("secret") {
            // Secrets are not needed to save; every other mistake would be saved into the file.
            say("not saved: \(e.description)", isError: true)
            return []
        }
        if d.changedOnDisk, !overwrite {
            compose.confirm = .overwrite
            return []
        }
        return [.saveWebhook(d.webhook, file: d.file, expected: d.stamp, overwrite: overwrite)]
    }

    private mutating func sendTest(toSelf: Bool) -> [Effect] {
        guard let d = compose.draft else { say("open a webhook first", isError: true); return [] }
        guard let request = compose.preview.request else {
            say("cannot send: \(compose.preview.error?.description ?? "nothing rendered")", isError: true)
            return []
        }
        if case .sending = compose.test { say("a test is still on its way"); return [] }
        compose.test = .sending(toSelf: toSelf)
        return [.sendTest(request, webhook: d.webhook, toSelf: toSelf)]
    }

    mutating func composeEvent(_ event: AppEvent) {
        switch event {
        case let .webhooksLoaded(entries):
            compose.entries = entries
            compose.listCursor = min(compose.listCursor, max(0, entries.count - 1))
            noticeDiskChanges()
        case let .webhookSaved(file, webhook, result):
            switch result {
            case let .success(stamp):
                if compose.draft?.file == file {
                    compose.draft?.stamp = stamp
                    compose.draft?.saved = webhook
                    compose.draft?.changedOnDisk = false
                }
                say("saved \(webhook.name) to \(shortName(file))")
            case let .failure(f):
                if f.changedOnDisk, compose.draft?.file == file { compose.draft?.changedOnDisk = true }
                say("not saved: \(f.description)", isError: true)
            }
        case let .webhookDeleted(file, failure):
            if let failure {
                say("not deleted: \(failure.description)", isError: true)
            } else {
                if compose.draft?.file == file { compose.draft = nil; refreshPreview() }
                say("deleted \(shortName(file))")
            }
        case let .testSent(verdict, toSelf):
            compose.test = .done(verdict, toSelf: toSelf)
        default:
            break
        }
    }

    /// A file changed on disk under the open draft: taken in when nothing would be lost,
    /// else flagged, so saving asks before overwriting it.
    private mutating func noticeDiskChanges() {
        guard let d = compose.draft, d.saved != nil else { return }
        let entry = compose.entries.first { $0.path == d.file }
        guard entry?.stamp != d.stamp else { return }
        if !d.isDirty, let entry, case let .success(w) = entry.content {
            compose.draft = Draft(webhook: w, file: d.file, stamp: entry.stamp, saved: w)
            clampRow()
            refreshPreview()
            say("\(shortName(d.file)) changed on disk: reloaded")
        } else if !d.changedOnDisk {
            compose.draft?.changedOnDisk = true
            say("\(shortName(d.file)) \(entry == nil ? "was deleted" : "changed") on disk: R reloads it, s asks before overwriting", isError: true)
        }
    }

    func shortName(_ file: String) -> String { String(file.split(separator: "/").last ?? "") }

    // MARK: the editor

    private mutating func editorKey(_ key: Key) {
        let rows = compose.rows
        guard !rows.isEmpty, let r = compose.currentRow else { return }
        switch key {
        case .char("j"), .down: compose.row = min(compose.row + 1, rows.count - 1)
        case .char("k"), .up: compose.row = max(compose.row - 1, 0)
        case .char("g"), .home: compose.row = 0
        case .char("G"), .end: compose.row = rows.count - 1
        case .left, .right, .char("h"), .char("l"), .char(" "):
            if r == .method || r == .format { cycle(r, by: key == .left || key == .char("h") ? -1 : 1) }
        case .enter, .char("i"), .char("e"):
            if r == .method || r == .format { cycle(r, by: 1) } else { beginEdit(key: false) }
        case .char("r"):
            switch r {
            case .header, .body: beginEdit(key: true)
            default: say("r renames a header or a body key; Enter edits this row", isError: true)
            }
        case .char("a"), .char("A"):
            remember()
            if key == .char("a") {
                compose.draft!.webhook.body.append(NameValue("", ""))
                compose.row = compose.rows.count - 1
            } else {
                compose.draft!.webhook.headers.append(NameValue("", ""))
                compose.row = 4 + compose.draft!.webhook.headers.count - 1
            }
            beginEdit(key: true, remembered: true)
        case .char("d"), .delete:
            switch r {
            case let .header(i):
                remember()
                compose.draft!.webhook.headers.remove(at: i)
            case let .body(i):
                remember()
                compose.draft!.webhook.body.remove(at: i)
            default:
                say("only headers and body keys can be removed", isError: true)
                return
            }
            clampRow()
            refreshPreview()
        case .char("J"), .char("K"):
            reorder(r, down: key == .char("J"))
        default:
            break
        }
    }

    private mutating func cycle(_ r: EditorRow, by step: Int) {
        remember()
        if r == .method {
            let all = Webhook.Method.allCases
            compose.draft!.webhook.method = all[(all.firstIndex(of: compose.draft!.webhook.method)! + step + all.count) % all.count]
        } else {
            let all = Webhook.Format.allCases
            compose.draft!.webhook.format = all[(all.firstIndex(of: compose.draft!.webhook.format)! + step + all.count) % all.count]
        }
        refreshPreview()
    }

    /// Moves a header or body key one place up or down among its kind.
    private mutating func reorder(_ r: EditorRow, down: Bool) {
        let step = down ? 1 : -1
        switch r {
        case let .header(i) where compose.draft!.webhook.headers.indices.contains(i + step):
            remember()
            compose.draft!.webhook.headers.swapAt(i, i + step)
        case let .body(i) where compose.draft!.webhook.body.indices.contains(i + step):
            remember()
            compose.draft!.webhook.body.swapAt(i, i + step)
        default:
            return
        }
        compose.row += step
        refreshPreview()
    }

    private mutating func remember() {
        guard let w = compose.draft?.webhook else { return }
        if compose.undo.last != w { compose.undo.append(w) }
        if compose.undo.count > 200 { compose.undo.removeFirst() }
    }

    private mutating func clampRow() {
        compose.row = min(max(0, compose.row), max(0, compose.rows.count - 1))
    }

    private mutating func beginEdit(key: Bool, remembered: Bool = false) {
        guard let r = compose.currentRow, let text = compose.text(of: r, key: key) else { return }
        if !remembered { remember() }
        compose.editingKey = key
        compose.editor = LineEditor(text)
    }

    /// Keys while a line is being typed: the line editor's, plus the few that end or switch it.
    private mutating func editKey(_ key: Key) -> [Effect] {
        guard let r = compose.currentRow else { compose.editor = nil; return [] }
        switch key {
        case .enter, .escape:
            compose.editor = nil
            if compose.editingKey, case .body = r, compose.text(of: r, key: false) == "" {
                // A new key was named: go on to its value, as a form would.
                beginEdit(key: false, remembered: true)
            }
        case .tab, .backTab:
            switch r {
            case .header, .body:
                compose.editor = nil
                beginEdit(key: !compose.editingKey, remembered: true)
            default: break
            }
        case .up, .down:
            compose.editor = nil
            compose.row = min(max(0, compose.row + (key == .down ? 1 : -1)), compose.rows.count - 1)
        case .ctrl("p"):
            openPalette()
        case .ctrl("s"):
            compose.editor = nil
            return save(overwrite: false)
        default:
            guard compose.editor!.handle(key) else { return [] }
            compose.setText(compose.editor!.text, of: r, key: compose.editingKey)
            refreshPreview()
        }
        return []
    }

    // MARK: the mouse

    /// A click picks a webhook or an editor row; the wheel scrolls the list, editor or preview.
    mutating func composeMouse(_ m: MouseEvent) {
        let l = composeLayout
        let wheel = m.kind == .wheelUp ? -3 : m.kind == .wheelDown ? 3 : 0
        if l.list.contains(x: m.x, y: m.y) {
            compose.focus = .list
            let n = wheel != 0 ? compose.listCursor + wheel : max(0, compose.listCursor - l.list.height + 2) + m.y - l.list.y - 1
            if compose.entries.indices.contains(n) { compose.listCursor = n }
        } else if l.editor.contains(x: m.x, y: m.y) {
            compose.focus = .editor
            let lines = compose.draft.map { ComposeEditorView.editorLines(self, $0.webhook) } ?? []
            let cursorLine = lines.firstIndex { $0.row == compose.row } ?? 0
            let top = max(0, cursorLine - (l.editor.height - 1) + 2)
            let target = wheel != 0 ? compose.row + wheel / 3 : lines[safe: top + m.y - l.editor.y - 1]?.row
            if let target, compose.rows.indices.contains(target) { compose.row = target }
        } else if l.preview.contains(x: m.x, y: m.y) {
            compose.focus = .preview
            compose.previewScroll = max(0, compose.previewScroll + wheel)
        }
    }

    // MARK: the palette and the preview

    private mutating func openPalette() {
        guard compose.draft != nil else { return }
        compose.palette = 0
    }

    private mutating func paletteKey(_ key: Key) -> [Effect] {
        let count = Template.variableNames.count
        switch key {
        case .char("j"), .down, .ctrl("n"): compose.palette = min(compose.palette! + 1, count - 1)
        case .char("k"), .up, .ctrl("p"): compose.palette = max(compose.palette! - 1, 0)
        case .escape: compose.palette = nil
        case .enter:
            let name = Template.variableNames[compose.palette!]
            compose.palette = nil
            if compose.editor == nil {
                guard let r = compose.currentRow, r != .name, compose.text(of: r, key: false) != nil else {
                    say("variables go into the URL, a header value or a body value: pick one of those rows", isError: true)
                    return []
                }
                beginEdit(key: false)
            }
            _ = compose.editor!.handle(.paste("{{\(name)}}"))
            compose.setText(compose.editor!.text, of: compose.currentRow!, key: compose.editingKey)
            refreshPreview()
        default: break
        }
        return []
    }

    private mutating func previewKey(_ key: Key) {
        switch key {
        case .char("j"), .down: compose.previewScroll += 1
        case .char("k"), .up: compose.previewScroll = max(0, compose.previewScroll - 1)
        case .pageDown, .char(" "): compose.previewScroll += 10
        case .pageUp: compose.previewScroll = max(0, compose.previewScroll - 10)
        case .char("g"), .home: compose.previewScroll = 0
        default: break
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
