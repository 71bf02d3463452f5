import CallDashCore

/// Compose's editor keys, the line being typed, the palette, the call picker and the mouse.
extension ComposeState {
    // MARK: the editor

    mutating func editorCommand(_ command: EditorCommand) -> [Effect] {
        let rows = self.rows
        guard !rows.isEmpty, let r = currentRow, let webhook = draft?.webhook else { return [] }
        let cycles = r == .method || r == .format
        switch command {
        case .down: row = min(row + 1, rows.count - 1)
        case .up: row = max(row - 1, 0)
        case .first: row = 0
        case .last: row = rows.count - 1
        case .cycleBack: if cycles { cycle(r, by: -1) }
        case .cycleForward: if cycles { cycle(r, by: 1) }
        case .edit: if cycles { cycle(r, by: 1) } else { beginEdit(key: false, before: webhook) }
        case .rename:
            if r.isEntry {
                beginEdit(key: true, before: webhook)
            } else {
                tell("r renames a header or a body key; Enter edits this row", isError: true)
            }
        case .addBodyKey, .addHeader:
            remember()
            let added: EditorRow
            if command == .addBodyKey {
                draft?.webhook.body.append(NameValue("", ""))
                added = .body(webhook.body.count)
            } else {
                draft?.webhook.headers.append(NameValue("", ""))
                added = .header(webhook.headers.count)
            }
            row = self.rows.firstIndex(of: added) ?? row // the rows now, with the one added
            // Esc on the new row's key takes the row away again.
            beginEdit(key: true, before: webhook, remembered: true)
        case .remove:
            switch r {
            case .header(let i):
                remember()
                draft?.webhook.headers.remove(at: i)
            case .body(let i):
                remember()
                draft?.webhook.body.remove(at: i)
            case .name, .url, .method, .format:
                tell("only headers and body keys can be removed", isError: true)
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
        guard var w = draft?.webhook else { return }
        remember()
        if r == .method { w.method = next(w.method) } else { w.format = next(w.format) }
        draft?.webhook = w
        refreshPreview()
    }

    /// Moves a header or body key one place up or down among its kind.
    mutating func reorder(_ r: EditorRow, down: Bool) {
        let step = down ? 1 : -1
        guard var w = draft?.webhook else { return }
        switch r {
        case .header(let i) where w.headers.indices.contains(i + step): w.headers.swapAt(i, i + step)
        case .body(let i) where w.body.indices.contains(i + step): w.body.swapAt(i, i + step)
        default: return
        }
        remember()
        draft?.webhook = w
        row += step
        refreshPreview()
    }

    mutating func remember() {
        guard let w = draft?.webhook else { return }
        if undo.last != w { undo.append(w) }
        if undo.count > 200 { undo.removeFirst() }
    }

    mutating func clampRow() {
        row = min(max(0, row), max(0, rows.count - 1))
    }

    /// Starts typing into the current row's key or value; Esc puts back `before`.
    mutating func beginEdit(key: Bool, before: Webhook, remembered: Bool = false) {
        guard let r = currentRow, let text = text(of: r, key: key) else { return }
        if !remembered { remember() }
        modals.push(.editing(LineEdit(editor: LineEditor(text), key: key, before: before)))
    }

    /// Keys while a line is being typed: the editing table's, else the line editor's.
    mutating func editKey(_ key: Key, _ edit: LineEdit, _ ctx: ComposeContext) -> [Effect] {
        guard let r = currentRow else {
            modals.pop()
            return []
        }
        if let command = ComposeBindings.editing.command(for: key) {
            switch command {
            case .done:
                modals.pop()
                if edit.key, text(of: r, key: false) == "" {
                    // A key was named and has no value yet: go on to the value, as a form would.
                    beginEdit(key: false, before: edit.before, remembered: true)
                }
            case .cancel:
                modals.pop()
                draft?.webhook = edit.before
                if undo.last == edit.before { undo.removeLast() }
                clampRow()
                refreshPreview()
            case .switchPart:
                guard r.isEntry else { break }
                modals.pop()
                beginEdit(key: !edit.key, before: edit.before, remembered: true)
            case .leaveUp, .leaveDown:
                modals.pop()
                row = min(max(0, row + (command == .leaveDown ? 1 : -1)), rows.count - 1)
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
            if case .alt(let c) = key { return editKey(.escape, edit, ctx) + screenKey(.char(c), ctx) }
            return []
        }
        modals.setEditing(edit)
        setText(edit.editor.text, of: r, key: edit.key)
        refreshPreview()
        return []
    }

    // MARK: the mouse

    /// A click picks a webhook or an editor row; the wheel scrolls the list, editor or preview.
    mutating func mouse(_ m: MouseEvent, _ ctx: ComposeContext) {
        let l = layout(ctx)
        let wheel = m.kind == .wheelUp ? -3 : m.kind == .wheelDown ? 3 : 0
        if l.list.contains(x: m.x, y: m.y) {
            focus = .list
            let n = wheel != 0 ? listCursor + wheel : ComposeListView.firstRow(self, height: l.list.height) + m.y - l.list.y - 1
            if entries.indices.contains(n) { listCursor = n }
        } else if l.editor.contains(x: m.x, y: m.y) {
            focus = .editor
            let lines = draft.map { ComposeEditorView.editorLines($0.webhook) } ?? []
            let top = ComposeEditorView.firstLine(lines, row: currentRow, height: l.editor.height - 1)
            let target =
                wheel != 0 ? row + wheel / 3 : lines[safe: top + m.y - l.editor.y - 1]?.row.flatMap(rows.firstIndex)
            if let target, rows.indices.contains(target) { row = target }
        } else if l.preview.contains(x: m.x, y: m.y) {
            focus = .preview
            scrollPreview(by: wheel, ctx)
        }
    }

    // MARK: the palette and the preview

    mutating func openPalette() {
        guard draft != nil else { return }
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
                guard let r = currentRow, r != .name, text(of: r, key: false) != nil, let w = draft?.webhook else {
                    tell("variables go into the URL, a header value or a body value: pick one of those rows", isError: true)
                    return []
                }
                beginEdit(key: false, before: w)
            }
            guard var edit = modals.editing, let r = currentRow else { return [] }
            edit.editor.insert("{{\(name)}}")
            modals.setEditing(edit)
            setText(edit.editor.text, of: r, key: edit.key)
            refreshPreview()
        case nil: break
        }
        return []
    }

    /// The calls to preview with: the Calls list, from its cursor, searched with its search.
    mutating func pickerKey(_ key: Key, row: Int, _ ctx: ComposeContext) -> [Effect] {
        let row = min(row, max(0, ctx.calls - 1)) // a search may have shortened the list
        switch ComposeBindings.callPicker.command(for: key) {
        case .down: modals.replaceTop(.callPicker(row: min(row + 1, max(0, ctx.calls - 1))))
        case .up: modals.replaceTop(.callPicker(row: max(row - 1, 0)))
        case .close:
            modals.pop()
            requests.append(.pickerClosed)
        case .choose:
            guard ctx.calls > 0 else {
                requests.append(.say("no call to choose: / searches again, Esc keeps the call previewed before", isError: false))
                break
            }
            modals.pop()
            requests += [.previewCall(row: row), .pickerClosed]
        case .search: requests.append(.searchCalls)
        case nil: break
        }
        return []
    }

    mutating func previewCommand(_ command: PreviewCommand, _ ctx: ComposeContext) -> [Effect] {
        switch command {
        case .down: scrollPreview(by: 1, ctx)
        case .up: scrollPreview(by: -1, ctx)
        case .pageDown: scrollPreview(by: 10, ctx)
        case .pageUp: scrollPreview(by: -10, ctx)
        case .top: previewScroll = 0
        case .bottom: scrollPreview(by: Int.max / 2, ctx)
        }
        return []
    }

    /// Scrolls the request pane, stopping where its last line is at the bottom.
    mutating func scrollPreview(by n: Int, _ ctx: ComposeContext) {
        let area = ComposePreviewView.text(layout(ctx).preview)
        let last = max(0, ComposePreviewView.content(self, width: area.width).count - area.height)
        previewScroll = min(max(0, previewScroll + n), last)
    }
}
