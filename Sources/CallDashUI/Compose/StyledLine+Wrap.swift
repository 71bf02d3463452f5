extension StyledLine {
    /// The line cut into pieces of at most `width` cells, keeping each span's role: how the
    /// preview shows a long URL or body in full instead of cutting it off. With `atWords`
    /// (sentences, not wire text) it breaks between words where it can, so a name such as
    /// CALLDASH_SECRET_TOKEN stays whole. A `continuation` marker starts each piece after the
    /// first (dimmed), so a wrapped wire line cannot be taken for a line break of its own.
    func wrapped(_ width: Int, atWords: Bool = false, continuation: String? = nil) -> [StyledLine] {
        guard width > 0 else { return [self] }
        let marker = continuation.flatMap { TextWidth.of($0) < width ? $0 : nil }
        let next = marker.map { StyledLine([($0, .listDim)]) } ?? StyledLine()
        let nextUsed = marker.map(TextWidth.of) ?? 0
        var out: [StyledLine] = []
        var current = StyledLine()
        var used = 0
        func put(_ text: String, _ role: ThemeRole, breakable: Bool) {
            var piece = ""
            for c in text {
                let w = SafeText.width(c)
                if used + w > width {
                    if !piece.isEmpty { current.spans.append((piece, role)) }
                    out.append(current)
                    (current, piece, used) = (next, "", nextUsed)
                    if !breakable && c == " " { continue } // no space at the start of a line
                }
                piece.append(c)
                used += w
            }
            if !piece.isEmpty { current.spans.append((piece, role)) }
        }
        for span in spans {
            guard atWords else {
                put(span.text, span.role, breakable: true)
                continue
            }
            // Words with the spaces before them; a word that does not fit starts a new line.
            var word = ""
            for c in span.text + "\u{0}" {
                if (c == " " || c == "\u{0}") && !word.trimmed.isEmpty {
                    let w = TextWidth.of(word)
                    if used > 0, used + w > width, w - 1 <= width {
                        out.append(current)
                        (current, used) = (next, nextUsed)
                        word = String(word.drop { $0 == " " })
                    }
                    put(word, span.role, breakable: false)
                    word = ""
                }
                if c != "\u{0}" { word.append(c) }
            }
            if !word.isEmpty { put(word, span.role, breakable: false) }
        }
        out.append(current)
        return out
    }
}
