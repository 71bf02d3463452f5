import CallDashCore

/// Compose's editor keys, the line being typed, the palette, the call picker and the mouse.
extension AppState {
    // MARK: the editor

    mutating func editorKey(_ key: Key) {
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
            if r.isEntry { beginEdit(key: true) } else { say("r renames a header or a body key; Enter edits this row", isError: true) }
        case .char("a"), .char("A"):
            remember()
            let added: EditorRow
            if key == .char("a") {
                compose.draft!.webhook.body.append(NameValue("", ""))
                added = .body(compose.draft!.webhook.body.count - 1)
            } else {
                compose.draft!.webhook.headers.append(NameValue("", ""))
                added = .header(compose.draft!.webhook.headers.count - 1)
            }
            compose.row = compose.rows.firstIndex(of: added)!
            beginEdit(key: true, remembered: true)
        case .char("d"), .delete:
            switch r {
            case .header(let i):
                remember()
                compose.draft!.webhook.headers.remove(at: i)
            case .body(let i):
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

    mutating func cycle(_ r: EditorRow, by step: Int) {
        func next<T: CaseIterable & Equatable>(_ v: T) -> T where T.AllCases == [T] {
            let all = T.allCases
            return all[(all.firstIndex(of: v)! + step + all.count) % all.count]
        }
        remember()
        if r == .method {
            compose.draft!.webhook.method = next(compose.draft!.webhook.method)
        } else {
            compose.draft!.webhook.format = next(compose.draft!.webhook.format)
        }
        refreshPreview()
    }

    /// Moves a header or body key one place up or down among its kind.
    mutating func reorder(_ r: EditorRow, down: Bool) {
        let step = down ? 1 : -1
        switch r {
        case .header(let i) where compose.draft!.webhook.headers.indices.contains(i + step):
            remember()
            compose.draft!.webhook.headers.swapAt(i, i + step)
        case .body(let i) where compose.draft!.webhook.body.indices.contains(i + step):
            remember()
            compose.draft!.webhook.body.swapAt(i, i + step)
        default:
            return
        }
        compose.row += step
        refreshPreview()
    }

    mutating func remember() {
        guard let w = compose.draft?.webhook else { return }
        if compose.undo.last != w { compose.undo.append(w) }
        if compose.undo.count > 200 { compose.undo.removeFirst() }
    }

    mutating func clampRow() {
        compose.row = min(max(0, compose.row), max(0, compose.rows.count - 1))
    }

    mutating func beginEdit(key: Bool, remembered: Bool = false) {
        guard let r = compose.currentRow, let text = compose.text(of: r, key: key) else { return }
        if !remembered { remember() }
        compose.editingKey = key
        compose.editor = LineEditor(text)
    }

    /// Keys while a line is being typed: the line editor's, plus the few that end or switch it.
    mutating func editKey(_ key: Key) -> [Effect] {
        guard let r = compose.currentRow else {
            compose.editor = nil
            return []
        }
        switch key {
        case .enter, .escape:
            compose.editor = nil
            if key == .enter, compose.editingKey, compose.text(of: r, key: false) == "" {
                // A key was named and has no value yet: go on to the value, as a form would.
                beginEdit(key: false, remembered: true)
            }
        case .tab, .backTab:
            guard r.isEntry else { break }
            compose.editor = nil
            beginEdit(key: !compose.editingKey, remembered: true)
        case .up, .down:
            compose.editor = nil
            compose.row = min(max(0, compose.row + (key == .down ? 1 : -1)), compose.rows.count - 1)
        case .ctrl("p"):
            openPalette()
        case .ctrl("s"):
            compose.editor = nil
            return save(overwrite: false)
        default:
            guard compose.editor!.handle(key) else {
                // Esc and a key at once that is no editing key: the Esc ends the line, the key counts.
                if case .alt(let c) = key { return editKey(.escape) + composeKey(.char(c)) }
                return []
            }
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
            let n = wheel != 0 ? compose.listCursor + wheel : ComposeListView.firstRow(compose, height: l.list.height) + m.y - l.list.y - 1
            if compose.entries.indices.contains(n) { compose.listCursor = n }
        } else if l.editor.contains(x: m.x, y: m.y) {
            compose.focus = .editor
            let lines = compose.draft.map { ComposeEditorView.editorLines($0.webhook) } ?? []
            let top = ComposeEditorView.firstLine(lines, row: compose.currentRow, height: l.editor.height - 1)
            let target =
                wheel != 0 ? compose.row + wheel / 3 : lines[safe: top + m.y - l.editor.y - 1]?.row.flatMap(compose.rows.firstIndex)
            if let target, compose.rows.indices.contains(target) { compose.row = target }
        } else if l.preview.contains(x: m.x, y: m.y) {
            compose.focus = .preview
            scrollPreview(by: wheel)
        }
    }

    // MARK: the palette and the preview

    mutating func openPalette() {
        guard compose.draft != nil else { return }
        compose.palette = 0
    }

    mutating func paletteKey(_ key: Key) -> [Effect] {
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

    /// The short list of calls to preview with: the Calls list around its cursor.
    mutating func pickerKey(_ key: Key) -> [Effect] {
        let row = compose.callPicker!
        switch key {
        case .char("j"), .down: compose.callPicker = min(row + 1, visible.count - 1)
        case .char("k"), .up: compose.callPicker = max(row - 1, 0)
        case .escape, .char("C"): compose.callPicker = nil
        case .enter:
            compose.callPicker = nil
            return move(to: row)
        default: break
        }
        return []
    }

    mutating func previewKey(_ key: Key) {
        switch key {
        case .char("j"), .down: scrollPreview(by: 1)
        case .char("k"), .up: scrollPreview(by: -1)
        case .pageDown, .char(" "): scrollPreview(by: 10)
        case .pageUp: scrollPreview(by: -10)
        case .char("g"), .home: compose.previewScroll = 0
        default: break
        }
    }

    /// Scrolls the request pane, stopping where its last line is at the bottom.
    mutating func scrollPreview(by n: Int) {
        let area = ComposePreviewView.text(composeLayout.preview)
        let last = max(0, ComposePreviewView.content(self, width: area.width).count - area.height)
        compose.previewScroll = min(max(0, compose.previewScroll + n), last)
    }
}
