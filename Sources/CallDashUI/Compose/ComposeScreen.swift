import CallDashCore

/// Draws the whole Compose screen for a state.
public enum ComposeScreen {
    public static func render(_ s: AppState, into b: inout CellBuffer) {
        let t = s.theme
        b.fill(b.area, t[.base])
        let l = s.composeLayout
        if l.tooSmall {
            CallsScreen.tooSmall(s, t, into: &b)
            return
        }
        header(s, t, l.header, &b)
        ComposeListView.render(s, t, in: l.list, into: &b)
        ComposeEditorView.render(s, t, in: l.editor, into: &b)
        ComposePreviewView.render(s, t, in: l.preview, into: &b)
        // The request pane's rule meets the list's edge.
        if l.preview.x == l.list.maxX, !l.preview.isEmpty { b.put("├", x: l.list.maxX - 1, y: l.preview.y, t[.border]) }
        footer(s, t, l.footer, &b)
        // Overlays in the order they were opened, so the newest is on top.
        for m in s.compose.modals.all {
            switch m {
            case .palette: PaletteOverlay.render(s, t, in: b.area, into: &b)
            case .callPicker: CallPickerOverlay.render(s, t, in: b.area, into: &b)
            case .editing, .confirm: break
            }
        }
        HelpOverlay.render(s, in: b.area, into: &b)
    }

    /// "CallDash · Compose  webhooks in … · preview for call #12 ANSWER"
    static func header(_ s: AppState, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        b.fill(area, t[.headerText])
        var x = area.x + b.put(" CallDash · Compose ", x: area.x, y: area.y, t[.headerTitle])
        let call = area.width >= 100 ? " preview for " + callLabel(s) + " (C picks another) " : " " + callLabel(s) + " "
        let callWidth = min(TextWidth.of(call), area.width / 2)
        x += b.put("  webhooks in " + s.compose.folder, x: x, y: area.y, maxWidth: area.maxX - x - callWidth, t[.headerDim], ellipsis: true)
        b.putRight(call, endX: area.maxX, y: area.y, maxWidth: callWidth, t[.headerText])
    }

    static func callLabel(_ s: AppState) -> String {
        guard let r = s.detail.record else { return "the sample call" }
        return "call #\(r.seq)" + (r.fields[.status].map { " " + $0 } ?? "")
    }

    static func footer(_ s: AppState, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        b.fill(area, t[.barText])
        if let search = s.modals.search {
            FooterView.searchField(search, x: area.x, y: area.y, width: area.width, t, into: &b)
            return
        }
        if let q = s.compose.modals.confirm {
            let text: String
            switch q {
            case .delete(let file, _, let name):
                text =
                    "Delete \(name.map { "\($0) (\(WebhookFolder.fileName(file)))" } ?? WebhookFolder.fileName(file))? y deletes, any other key keeps it"
            case .discard:
                text = "Unsaved changes to \(s.compose.draft?.webhook.name ?? "this webhook") will be lost. y goes on, any other key stays"
            case .overwrite:
                text =
                    "\(WebhookFolder.fileName(s.compose.draft?.file ?? "")) changed on disk since it was read. y overwrites it, any other key keeps it"
            case .quit: text = "Unsaved changes to \(s.compose.draft?.webhook.name ?? "this webhook"). y quits anyway, any other key stays"
            case .discardNew(let name):
                text = "Discard the new webhook “\(name)”? It was never saved. y discards it, any other key keeps it"
            }
            if MessageBar.draw(text, .searchPrompt, bar: area, room: area.width, top: 2, t, into: &b) { return }
            b.put(" y yes · any other key no ", x: area.x, y: area.y, maxWidth: area.width, t[.searchPrompt])
            return
        }
        if let m = s.message {
            if MessageBar.draw(m.text, m.isError ? .barError : .barMessage, bar: area, room: area.width, top: 2, t, into: &b) { return }
        }
        let keys: [(key: String, label: String)]
        if s.compose.modals.callPicker != nil {
            keys = ComposeBindings.callPicker.bar // the keys of the box that is up, not of the panes behind it
        } else if s.compose.modals.palette != nil {
            keys = ComposeBindings.palette.bar
        } else if s.compose.modals.editing != nil {
            keys = ComposeBindings.editing.bar + LineEditor.bindings.bar
        } else {
            let pane: [(key: String, label: String, rank: Int)]
            switch s.compose.focus {
            case .list: pane = ComposeBindings.list.ranked
            case .editor: pane = ComposeBindings.editor.ranked
            case .preview: pane = ComposeBindings.preview.ranked
            }
            keys = BindingTable<ComposeCommand>.merged([ComposeBindings.screen.ranked, pane])
        }
        FooterView.keys(keys, x: area.x + 1, y: area.y, endX: area.maxX, t, into: &b)
    }

    /// A pane's title rule: "─ title ─────── right ─".
    static func rule(_ title: String, right: String = "", focused: Bool, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        let style = focused ? t[.borderFocused] : t[.border]
        b.put(String(repeating: "─", count: area.width), x: area.x, y: area.y, style)
        let x = area.x + 1 + b.put(title, x: area.x + 1, y: area.y, maxWidth: area.width - 2, t[.paneTitle], ellipsis: true)
        if !right.isEmpty { b.putRight(right, endX: area.maxX - 1, y: area.y, maxWidth: max(0, area.maxX - 1 - x), style) }
    }
}

extension AppState {
    public var composeLayout: ComposeLayout { compose.layout(composeContext) }
}
