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
            if let e = c.entries[safe: c.listCursor], case let .failure(problem) = e.content {
                lines = [StyledLine([("\(s.shortName(e.path)) cannot be used:", .detailError)]),
                         StyledLine([("line \(problem.line): \(problem.problem)", .detailValue)]),
                         StyledLine([("CallDash never rewrites a file it cannot read: fix it by hand (it reloads by itself), or X deletes it.", .detailLabel)])]
            } else {
                lines = [StyledLine([("No webhook open. Enter opens the one under the cursor, n creates a new one.", .detailLabel)])]
            }
            for (n, line) in lines.flatMap({ $0.wrapped(area.width - 2) }).prefix(area.height - 1).enumerated() {
                DetailView.draw(line, t, x: area.x + 1, y: area.y + 1 + n, width: area.width - 2, skip: 0, into: &b)
            }
            return
        }
        let state = d.changedOnDisk ? " changed on disk " : d.saved == nil ? " new, not saved " : d.isDirty ? " ● unsaved " : " saved "
        ComposeScreen.rule(" \(d.webhook.name.isEmpty ? "(no name)" : d.webhook.name) · \(s.shortName(d.file)) ", right: state,
                           focused: c.focus == .editor, t, Rect(x: area.x, y: area.y, width: area.width, height: 1), &b)
        let lines = editorLines(s, d.webhook)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        let top = firstLine(lines, row: c.row, height: body.height)
        for (n, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            draw(line, s, t, y: body.y + n, area: body, into: &b)
        }
    }

    /// The first line shown: the cursor's row stays in view with a line of context below it
    /// while the lines do not all fit.
    static func firstLine(_ lines: [Line], row: Int, height: Int) -> Int {
        let cursorLine = lines.firstIndex { $0.row == row } ?? 0
        return max(0, min(cursorLine - height + 2, lines.count - height))
    }

    /// An editor line: a section title, or a row with its label.
    struct Line {
        var row: Int?
        var label: String
        var key: String?
        var value: String
        var isTemplate: Bool
    }

    static func editorLines(_ s: AppState, _ w: Webhook) -> [Line] {
        var out: [Line] = [
            Line(row: 0, label: "Name", value: w.name, isTemplate: false),
            Line(row: 1, label: "URL", value: w.url, isTemplate: true),
            Line(row: 2, label: "Method", value: w.method.rawValue + (w.method == .GET ? "  (body keys go to the query)" : ""), isTemplate: false),
            Line(row: 3, label: "Format", value: w.format.rawValue + "  " + ["json": "(application/json)", "form": "(FormData, urlencoded)", "multipart": "(FormData, multipart)"][w.format.rawValue]!, isTemplate: false),
            Line(row: nil, label: "Headers", value: w.headers.isEmpty ? "none · A adds one" : "A adds · d removes · J/K move", isTemplate: false),
        ]
        for (i, h) in w.headers.enumerated() { out.append(Line(row: 4 + i, label: "", key: h.name, value: h.value, isTemplate: true)) }
        out.append(Line(row: nil, label: "Body", value: w.body.isEmpty ? "none · a adds a key" : "a adds · d removes · J/K move", isTemplate: false))
        for (i, k) in w.body.enumerated() { out.append(Line(row: 4 + w.headers.count + i, label: "", key: k.name, value: k.value, isTemplate: true)) }
        return out
    }

    static let labelWidth = 8

    static func draw(_ line: Line, _ s: AppState, _ t: Theme, y: Int, area: Rect, into b: inout CellBuffer) {
        let c = s.compose
        let isCursor = line.row == c.row && line.row != nil
        let focused = c.focus == .editor
        guard let row = line.row else {
            let x = area.x + 1 + b.put(line.label, x: area.x + 1, y: y, t[.detailSection])
            b.put("  " + line.value, x: x, y: y, maxWidth: area.maxX - x, t[.listDim], ellipsis: true)
            return
        }
        if isCursor { b.put(focused ? "▸" : "›", x: area.x, y: y, t[.borderFocused]) }
        var x = area.x + 1
        let editing = isCursor && c.editor != nil
        let error = c.preview.error
        let rowKind = c.rows[safe: row]
        if let key = line.key {
            // Entries: key column, then the value.
            let keyWidth = min(18, max(8, (area.width - 4) / 3))
            let keyError = rowKind.flatMap { r -> Int? in
                if case let .header(i) = r, error?.field == "header name \(s.compose.draft!.webhook.headers[i].name)" { return 1 }
                return nil
            }
            field(key, editor: editing && c.editingKey ? c.editor : nil, template: false, errorColumn: keyError,
                  x: x + 2, y: y, width: keyWidth - 1, t, isCursor && focused && !editing, into: &b)
            x += 2 + keyWidth
            b.put(rowKind.map { if case .header = $0 { ":" } else { "=" } } ?? "", x: x, y: y, t[.jsonPunctuation])
            x += 2
        } else {
            b.put(line.label, x: x, y: y, maxWidth: labelWidth, isCursor ? t[.detailSection] : t[.detailLabel])
            x += labelWidth + 1
        }
        let valueError = rowKind.flatMap { $0.errorField(in: s.compose.draft!.webhook) }.flatMap { error?.field == $0 ? error?.column : nil }
        field(line.value, editor: editing && !c.editingKey ? c.editor : nil, template: line.isTemplate, errorColumn: valueError,
              x: x, y: y, width: area.maxX - x - 1, t, isCursor && focused && !editing && line.key == nil, into: &b)
    }

    /// One editable text: coloured as a template, the error's position underlined, and while
    /// being edited the cursor shown and the text scrolled sideways to keep it in view.
    static func field(_ text: String, editor: LineEditor?, template: Bool, errorColumn: Int?, x: Int, y: Int, width: Int,
                      _ t: Theme, _ highlight: Bool, into b: inout CellBuffer) {
        guard width > 0 else { return }
        let chars = editor?.chars ?? Array(text)
        var roles = template ? templateRoles(chars) : Array(repeating: ThemeRole.detailValue, count: chars.count)
        if let col = errorColumn, col >= 1, col - 1 <= chars.count {
            let start = col - 1
            // To the end of the variable, or of the text when its `{{` is never closed.
            let close = (start..<chars.count).first { $0 + 1 < chars.count && chars[$0] == "}" && chars[$0 + 1] == "}" }
            let end = close.map { $0 + 2 } ?? (chars[safe: start] == "{" ? chars.count : start + 1)
            for i in start..<min(end, chars.count) { roles[i] = .editorError }
        }
        let widths = chars.map { TextWidth.of(SafeText.displayed($0)) }
        var skip = 0
        if let e = editor {
            // Scroll so the cursor stays inside, keeping a few cells of context to its left.
            let cursorCol = widths[..<e.cursor].reduce(0, +)
            if cursorCol >= width { skip = cursorCol - width + 1 + min(8, width / 4) }
        }
        var col = 0, drawn = 0
        for (i, ch) in chars.enumerated() {
            let w = widths[i]
            defer { col += w }
            if col < skip { continue }
            guard drawn + w <= width else { break }
            var style = t[roles[i]].over(t[.detailValue])
            if let e = editor, e.cursor == i { style = t[.editorCursor] }
            if highlight { style.attributes.insert(.bold) }
            drawn += b.put(String(ch), x: x + drawn, y: y, maxWidth: width - drawn, style)
        }
        if let e = editor, e.cursor == chars.count, drawn < width { b.put(" ", x: x + drawn, y: y, t[.editorCursor]) }
        if errorColumn != nil, errorColumn! - 1 >= chars.count, drawn < width { b.put("‸", x: x + drawn, y: y, t[.editorError]) }
        if editor == nil, !chars.isEmpty, col > width { b.put("…", x: x + width - 1, y: y, t[.listDim]) }
    }

    /// Roles for a template's characters: `{{variables}}` and `%secrets%` stand out.
    static func templateRoles(_ chars: [Character]) -> [ThemeRole] {
        var roles = Array(repeating: ThemeRole.detailValue, count: chars.count)
        var i = 0
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{",
               let close = (i + 2..<chars.count).first(where: { $0 + 1 < chars.count && chars[$0] == "}" && chars[$0 + 1] == "}" }) {
                for j in i..<(close + 2) { roles[j] = .editorVariable }
                i = close + 2
            } else if chars[i] == "%", let close = (i + 1..<chars.count).first(where: { !Template.isNameChar(chars[$0]) }),
                      close > i + 1, chars[close] == "%" {
                for j in i...close { roles[j] = .editorSecret }
                i = close + 1
            } else {
                i += 1
            }
        }
        return roles
    }
}
