import CallDashCore

/// One editable line of text, drawn: coloured as a template when it is one, an error's position
/// underlined, and while being edited the cursor shown and the text scrolled sideways to keep it
/// in view. The Compose editor's rows and the search on the bottom bar both draw with it.
enum TextField {
    static func draw(
        _ text: String, editor: LineEditor?, template: Bool = false, errorColumn: Int? = nil, x: Int, y: Int, width: Int,
        _ t: Theme, _ highlight: Bool = false, on base: ThemeRole = .detailValue, into b: inout CellBuffer
    ) {
        guard width > 0 else { return }
        let chars = editor?.chars ?? Array(text)
        var roles = template ? templateRoles(chars) : Array(repeating: base, count: chars.count)
        if let col = errorColumn, col >= 1, col - 1 <= chars.count {
            let start = col - 1
            // To the end of the variable, or of the text when its `{{` is never closed.
            let end = closingBraces(chars, from: start).map { $0 + 2 } ?? (chars[safe: start] == "{" ? chars.count : start + 1)
            for i in start..<min(end, chars.count) { roles[i] = .editorError }
        }
        let widths = chars.map { SafeText.width($0) }
        var skip = 0
        if let e = editor {
            // Scroll so the cursor stays inside, keeping a few cells of context to its left.
            let cursorCol = widths[..<e.cursor].reduce(0, +)
            if cursorCol >= width { skip = cursorCol - width + 1 + min(8, width / 4) }
        }
        var col = 0
        var drawn = 0
        for (i, ch) in chars.enumerated() {
            let w = widths[i]
            defer { col += w }
            if col < skip { continue }
            guard drawn + w <= width else { break }
            var style = t[roles[i]].over(t[base])
            if let e = editor, e.cursor == i { style = t[.editorCursor] }
            if highlight { style.attributes.insert(.bold) }
            drawn += b.put(String(ch), x: x + drawn, y: y, maxWidth: width - drawn, style)
        }
        if let e = editor, e.cursor == chars.count, drawn < width { b.put(" ", x: x + drawn, y: y, t[.editorCursor]) }
        if errorColumn != nil, errorColumn! - 1 >= chars.count, drawn < width { b.put("‸", x: x + drawn, y: y, t[.editorError]) }
        if editor == nil, !chars.isEmpty, col > width { b.put("…", x: x + width - 1, y: y, t[.listDim]) }
    }

    /// Where the first `}}` at or after `start` begins.
    static func closingBraces(_ chars: [Character], from start: Int) -> Int? {
        (start..<max(start, chars.count - 1)).first { chars[$0] == "}" && chars[$0 + 1] == "}" }
    }

    /// Roles for a template's characters: `{{variables}}` and `%secrets%` stand out.
    static func templateRoles(_ chars: [Character]) -> [ThemeRole] {
        var roles = Array(repeating: ThemeRole.detailValue, count: chars.count)
        var i = 0
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{",
                let close = closingBraces(chars, from: i + 2)
            {
                for j in i..<(close + 2) { roles[j] = .editorVariable }
                i = close + 2
            } else if chars[i] == "%", let close = (i + 1..<chars.count).first(where: { !Template.isNameChar(chars[$0]) }),
                close > i + 1, chars[close] == "%"
            {
                for j in i...close { roles[j] = .editorSecret }
                i = close + 1
            } else {
                i += 1
            }
        }
        return roles
    }
}
