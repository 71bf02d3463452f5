import CallDashCore

/// The webhooks in the folder, broken files marked, the open one flagged when unsaved.
enum ComposeListView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let c = s.compose
        ComposeScreen.rule(
            " webhooks (\(c.entries.count)) ", focused: c.focus == .list, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
        for y in (area.y + 1)..<area.maxY { b.put("│", x: area.maxX - 1, y: y, t[.border]) }
        b.put("┬", x: area.maxX - 1, y: area.y, t[.border]) // where the pane's edge meets the rule
        let unsaved = Self.unsaved(c)
        let rows = Self.rows(c, height: area.height)
        if let d = unsaved {
            let y = area.y + 1 + min(c.entries.count, rows)
            b.put("●\(d.webhook.id) \(d.webhook.name) (new)", x: area.x, y: y, maxWidth: area.width - 1, t[.detailWarning], ellipsis: true)
        } else if c.entries.isEmpty {
            b.put("none yet", x: area.x + 1, y: area.y + 1, maxWidth: area.width - 2, t[.listDim])
            b.put("n creates one", x: area.x + 1, y: area.y + 2, maxWidth: area.width - 2, t[.listDim])
        }
        let top = firstRow(c, height: area.height)
        for (n, e) in c.entries.enumerated().dropFirst(top).prefix(rows) {
            let y = area.y + 1 + n - top
            let isCursor = n == c.listCursor
            let open = c.draft?.file == e.path
            var style = isCursor ? (c.focus == .list ? t[.listCursor] : t[.listCursorUnfocused]) : t[.listRow]
            let text: String
            switch e.content {
            case .success(let w):
                let mark = open && c.draft?.isDirty == true ? "●" : open ? "›" : " "
                text = "\(mark)\(w.id) \(w.name)"
            case .failure:
                text = "✗ \(WebhookFolder.fileName(e.path)) broken"
                if !isCursor { style = t[.detailError] }
            }
            b.fill(Rect(x: area.x, y: y, width: area.width - 1, height: 1), style)
            b.put(text, x: area.x, y: y, maxWidth: area.width - 1, style, ellipsis: true)
        }
    }

    /// A new webhook not saved yet has no file to list: it shows below the files.
    static func unsaved(_ c: ComposeState) -> Draft? {
        c.draft.flatMap { d in c.entries.contains { $0.path == d.file } ? nil : d }
    }

    /// Rows for files in a pane `height` tall (below the title rule, above a new webhook).
    static func rows(_ c: ComposeState, height: Int) -> Int { height - 1 - (unsaved(c) == nil ? 0 : 1) }

    /// The first file shown, so that the cursor's stays in view.
    static func firstRow(_ c: ComposeState, height: Int) -> Int { max(0, c.listCursor - rows(c, height: height) + 1) }
}
