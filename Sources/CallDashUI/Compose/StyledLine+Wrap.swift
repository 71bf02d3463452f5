extension StyledLine {
    /// The line cut into pieces of at most `width` cells, keeping each span's role: how the
    /// preview shows a long URL or body in full instead of cutting it off.
    func wrapped(_ width: Int) -> [StyledLine] {
        guard width > 0 else { return [self] }
        var out: [StyledLine] = []
        var current = StyledLine()
        var used = 0
        for span in spans {
            var piece = ""
            for c in span.text {
                let w = TextWidth.of(SafeText.displayed(c))
                if used + w > width {
                    if !piece.isEmpty { current.spans.append((piece, span.role)) }
                    out.append(current)
                    current = StyledLine()
                    piece = ""
                    used = 0
                }
                piece.append(c)
                used += w
            }
            if !piece.isEmpty { current.spans.append((piece, span.role)) }
        }
        out.append(current)
        return out
    }
}
