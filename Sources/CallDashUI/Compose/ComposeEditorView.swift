import CallDashCore

/// The editor: name, URL, method, format, headers and body keys, one row each; the row being
/// typed into shows the line editor, and the error's position is underlined.
enum ComposeEditorView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let c = s.compose
        b.fill(area, t[.detailValue])
        guard let d = c.draft else {
            ComposeScreen.rule(" editor ", focused: c.focus == .editor, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
            var lines: [StyledLine] = []
            if let e = c.entries[safe: c.listCursor], case .failure(let problem) = e.content {
                lines = [
                    StyledLine([("\(WebhookFolder.fileName(e.path)) cannot be used:", .detailError)]),
                    StyledLine([("line \(problem.line): \(problem.problem)", .detailValue)]),
                    StyledLine([
                        (
                            "CallDash never rewrites a file it cannot read: fix it by hand (it reloads by itself), or X deletes it.",
                            .detailLabel
                        )
                    ])
                ]
            } else {
                lines = [StyledLine([("No webhook open. Enter opens the one under the cursor, n creates a new one.", .detailLabel)])]
            }
            for (n, line) in lines.flatMap({ $0.wrapped(area.width - 2, atWords: true) }).prefix(area.height - 1).enumerated() {
                DetailView.draw(line, t, x: area.x + 1, y: area.y + 1 + n, width: area.width - 2, skip: 0, into: &b)
            }
            return
        }
        let state = d.changedOnDisk ? " changed on disk " : d.saved == nil ? " new, not saved " : d.isDirty ? " ● unsaved " : " saved "
        ComposeScreen.rule(
            " \(d.webhook.name.isEmpty ? "(no name)" : d.webhook.name) · \(WebhookFolder.fileName(d.file)) ", right: state,
            focused: c.focus == .editor, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
        let lines = editorLines(d.webhook)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let top = firstLine(lines, row: c.currentRow, height: body.height)
        for (n, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            draw(line, s, t, y: body.y + n, area: body, into: &b)
        }
    }

    /// The first line shown: the cursor's row stays in view with a line of context below it
    /// while the lines do not all fit.
    static func firstLine(_ lines: [Line], row: EditorRow?, height: Int) -> Int {
        let cursorLine = lines.firstIndex { $0.row == row } ?? 0
        return max(0, min(cursorLine - height + 2, lines.count - height))
    }

    /// An editor line: a section title, or a row with its label.
    struct Line {
        var row: EditorRow?
        var label: String
        var key: String?
        var value: String
        var isTemplate: Bool
    }

    static func formatNote(_ f: Webhook.Format) -> String {
        switch f {
        case .json: "(application/json)"
        case .form: "(FormData, urlencoded)"
        case .multipart: "(FormData, multipart)"
        }
    }

    static func editorLines(_ w: Webhook) -> [Line] {
        var out: [Line] = [
            Line(row: .name, label: "Name", value: w.name, isTemplate: false),
            Line(row: .url, label: "URL", value: w.url, isTemplate: true),
            Line(
                row: .method, label: "Method", value: w.method.rawValue + (w.method == .get ? "  (body keys go to the query)" : ""),
                isTemplate: false),
            Line(
                row: .format, label: "Format",
                value: w.format.rawValue + "  " + formatNote(w.format), isTemplate: false),
            Line(
                row: nil, label: "Headers", value: w.headers.isEmpty ? "none · A adds one" : "A adds · d removes · J/K move",
                isTemplate: false)
        ]
        for (i, h) in w.headers.enumerated() { out.append(Line(row: .header(i), label: "", key: h.name, value: h.value, isTemplate: true)) }
        out.append(
            Line(
                row: nil, label: "Body", value: w.body.isEmpty ? "none · a adds a key" : "a adds · d removes · J/K move", isTemplate: false)
        )
        for (i, k) in w.body.enumerated() { out.append(Line(row: .body(i), label: "", key: k.name, value: k.value, isTemplate: true)) }
        return out
    }

    static let labelWidth = 8

    static func draw(_ line: Line, _ s: AppState, _ t: Theme, y: Int, area: Rect, into b: inout CellBuffer) {
        let c = s.compose
        let isCursor = line.row != nil && line.row == c.currentRow
        let focused = c.focus == .editor
        guard let row = line.row else {
            let x = area.x + 1 + b.put(line.label, x: area.x + 1, y: y, t[.detailSection])
            b.put("  " + line.value, x: x, y: y, maxWidth: area.maxX - x, t[.listDim], ellipsis: true)
            return
        }
        if isCursor { b.put(focused ? "▸" : "›", x: area.x, y: y, t[.borderFocused]) }
        var x = area.x + 1
        let edit = isCursor ? s.compose.modals.editing : nil
        let editing = edit != nil
        let error = c.preview.error
        if let key = line.key {
            // Entries: key column, then the value.
            let keyWidth = min(18, max(8, (area.width - 4) / 3))
            let keyError: Int? = row.isKeyError(error) ? 1 : nil
            TextField.draw(
                key, editor: edit?.key == true ? edit?.editor : nil, template: false, errorColumn: keyError,
                x: x + 2, y: y, width: keyWidth - 1, t, isCursor && focused && !editing, into: &b)
            x += 2 + keyWidth
            let separator = if case .header = row { ":" } else { "=" }
            b.put(separator, x: x, y: y, t[.jsonPunctuation])
            x += 2
        } else {
            b.put(line.label, x: x, y: y, maxWidth: labelWidth, isCursor ? t[.detailSection] : t[.detailLabel])
            x += labelWidth + 1
        }
        let valueError = row.errorColumn(error)
        TextField.draw(
            line.value, editor: edit?.key == false ? edit?.editor : nil, template: line.isTemplate, errorColumn: valueError,
            x: x, y: y, width: area.maxX - x - 1, t, isCursor && focused && !editing && line.key == nil, into: &b)
    }
}
