import CallDashCore

/// Compose's editor keys, the line being typed, the palette, the call picker and the mouse.
extension AppState {
    // MARK: the editor

    mutating func editorCommand(_ command: EditorCommand) -> [Effect] {
        let rows = compose.rows
        guard !rows.isEmpty, let r = compose.currentRow, let webhook = compose.draft?.webhook else { return [] }
        let cycles = r == .method || r == .format
        switch command {
        case .down: compose.row = min(compose.row + 1, rows.count - 1)
        case .up: compose.row = max(compose.row - 1, 0)
        case .first: compose.row = 0
        case .last: compose.row = rows.count - 1
        case .cycleBack: if cycles { cycle(r, by: -1) }
        case .cycleForward: if cycles { cycle(r, by: 1) }
        case .edit: if cycles { cycle(r, by: 1) } else { beginEdit(key: false, before: webhook) }
        case .rename:
            if r.isEntry {
                beginEdit(key: true, before: webhook)
            } else {
                say("r renames a header or a body key; Enter edits this row", isError: true)
            }
        case .addBodyKey, .addHeader:
            remember()
            let added: EditorRow
            if command == .addBodyKey {
                compose.draft?.webhook.body.append(NameValue("", ""))
                added = .body(webhook.body.count)
            } else {
                compose.draft?.webhook.headers.append(NameValue("", ""))
                added = .header(webhook.headers.count)
            }
            compose.row = compose.rows.firstIndex(of: added) ?? compose.row
            // Esc on the new row's key takes the row away again.
            beginEdit(key: true, before: webhook, remembered: true)
        case .remove:
            switch r {
            case .header(let i):
                remember()
                compose.draft?.webhook.headers.remove(at: i)
            case .body(let i):
                remember()
                compose.draft?.webhook.body.remove(at: i)
            case .name, .url, .method, .format:
                say("only headers and body keys can be removed", isError: true)
                return []
            }
            clampRow()
            refreshPreview()
        case .moveDown, .moveUp:
            reorder(r, down: command == .moveDown)
        }
        return []
    }

    mutating func cycle(_ r: EditorRow, by step: Int) {
        func next<T: CaseIterable & Equatable>(_ v: T) -> T where T.AllCases == [T] {
            let all = T.allCases
            let i = all.firstIndex(of: v) ?? 0
            return all[(i + step + all.count) % all.count]
        }
        guard var w = compose.draft?.webhook else { return }
        remember()
        if r == .method { w.method = next(w.method) } else { w.format = next(w.format) }
        compose.draft?.webhook = w
        refreshPreview()
    }

    /// Moves a header or body key one place up or down among its kind.
    mutating func reorder(_ r: EditorRow, down: Bool) {
        let step = down ? 1 : -1
        guard var w = compose.draft?.webhook else { return }
        switch r {
        case .header(let i) where w.headers.indices.contains(i + step): w.headers.swapAt(i, i + step)
        case .body(let i) where w.body.indices.contains(i + step): w.body.swapAt(i, i + step)
        default: return
        }
        remember()
        compose.draft?.webhook = w
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

    /// Starts typing into the current row's key or value; Esc puts back `before`.
    mutating func beginEdit(key: Bool, before: Webhook, remembered: Bool = false) {
        guard let r = compose.currentRow, let text = compose.text(of: r, key: key) else { return }
        if !remembered { remember() }
        modals.push(.editing(LineEdit(editor: LineEditor(text), key: key, before: before)))
    }

    /// Keys while a line is being typed: the editing table's, else the line editor's.
    mutating func editKey(_ key: Key, _ edit: LineEdit) -> [Effect] {
        guard let r = compose.currentRow else {
            modals.pop()
            return []
        }
        if let command = ComposeBindings.editing.command(for: key) {
            switch command {
            case .done:
                modals.pop()
                if edit.key, compose.text(of: r, key: false) == "" {
                    // A key was named and has no value yet: go on to the value, as a form would.
                    beginEdit(key: false, before: edit.before, remembered: true)
                }
            case .cancel:
                modals.pop()
                compose.draft?.webhook = edit.before
                if compose.undo.last == edit.before { compose.undo.removeLast() }
                clampRow()
                refreshPreview()
            case .switchPart:
                guard r.isEntry else { break }
                modals.pop()
                beginEdit(key: !edit.key, before: edit.before, remembered: true)
            case .leaveUp, .leaveDown:
                modals.pop()
                compose.row = min(max(0, compose.row + (command == .leaveDown ? 1 : -1)), compose.rows.count - 1)
            case .palette:
                openPalette()
            case .save:
                modals.pop()
                return save(overwrite: false)
            }
            return []
        }
        var edit = edit
        guard edit.editor.handle(key) else {
            // Esc and a key at once that is no editing key: the Esc ends the line, the key counts.
            if case .alt(let c) = key { return editKey(.escape, edit) + composeKey(.char(c)) }
            return []
        }
        modals.setEditing(edit)
        compose.setText(edit.editor.text, of: r, key: edit.key)
        refreshPreview()
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
        modals.push(.palette(cursor: 0))
    }

    mutating func paletteKey(_ key: Key, cursor: Int) -> [Effect] {
        let count = Template.variableNames.count
        switch ComposeBindings.palette.command(for: key) {
        case .down: modals.replaceTop(.palette(cursor: min(cursor + 1, count - 1)))
        case .up: modals.replaceTop(.palette(cursor: max(cursor - 1, 0)))
        case .close: modals.pop()
        case .choose:
            modals.pop()
            let name = Template.variableNames[cursor]
            if modals.editing == nil {
                guard let r = compose.currentRow, r != .name, compose.text(of: r, key: false) != nil, let w = compose.draft?.webhook else {
                    say("variables go into the URL, a header value or a body value: pick one of those rows", isError: true)
                    return []
                }
                beginEdit(key: false, before: w)
            }
            guard var edit = modals.editing, let r = compose.currentRow else { return [] }
            edit.editor.insert("{{\(name)}}")
            modals.setEditing(edit)
            compose.setText(edit.editor.text, of: r, key: edit.key)
            refreshPreview()
        case nil: break
        }
        return []
    }

    /// The short list of calls to preview with: the Calls list around its cursor.
    mutating func pickerKey(_ key: Key, row: Int) -> [Effect] {
        switch ComposeBindings.callPicker.command(for: key) {
        case .down: modals.replaceTop(.callPicker(row: min(row + 1, visible.count - 1)))
        case .up: modals.replaceTop(.callPicker(row: max(row - 1, 0)))
        case .close: modals.pop()
        case .choose:
            modals.pop()
            return move(to: row)
        case nil: break
        }
        return []
    }

    mutating func previewCommand(_ command: PreviewCommand) -> [Effect] {
        switch command {
        case .down: scrollPreview(by: 1)
        case .up: scrollPreview(by: -1)
        case .pageDown: scrollPreview(by: 10)
        case .pageUp: scrollPreview(by: -10)
        case .top: compose.previewScroll = 0
        }
        return []
    }

    /// Scrolls the request pane, stopping where its last line is at the bottom.
    mutating func scrollPreview(by n: Int) {
        let area = ComposePreviewView.text(composeLayout.preview)
        let last = max(0, ComposePreviewView.content(self, width: area.width).count - area.height)
        compose.previewScroll = min(max(0, compose.previewScroll + n), last)
    }
}
