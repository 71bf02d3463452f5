/// Makes untrusted text safe to draw: a report can carry escape sequences, control characters
/// or bidirectional overrides in any field, and none of them may reach the terminal.
public enum SafeText {
    /// The characters to draw for `c`: itself when it is safe; a control as its Control Picture
    /// (ESC as ␛, CR LF as ␍␊, so a line feed stays visible); a bidi control or other invisible
    /// formatting as its short name (‹RLO›, ‹ZWSP›, ‹U+2061›), so it can be told from invalid UTF-8 (�).
    public static func glyphs(_ c: Character) -> [Character] {
        if let a = c.asciiValue {
            if a >= 0x20 && a < 0x7F { return [c] }
            if a == 0x7F { return ["\u{2421}"] }
            if c == "\r\n" { return ["\u{240D}", "\u{240A}"] }
            return [Character(Unicode.Scalar(0x2400 + UInt32(a))!)]
        }
        guard c.unicodeScalars.contains(where: { !isDrawable($0) }) else { return [c] }
        var kept = String.UnicodeScalarView()
        var names: [Character] = []
        for s in c.unicodeScalars {
            if isDrawable(s) { kept.append(s) } else { names += Array(name(of: s)) }
        }
        // A joiner or variation selector left without its base draws nothing: drop it.
        if let first = kept.first, first.value == 0x200D || (0xFE00...0xFE0F).contains(first.value) { kept = String.UnicodeScalarView() }
        return Array(String(kept)) + names
    }

    /// Columns `c` takes once made safe.
    public static func width(_ c: Character) -> Int {
        if c.asciiValue != nil, c != "\r\n" { return 1 }
        return glyphs(c).reduce(0) { $0 + TextWidth.of($1) }
    }

    /// `text` as it is drawn.
    public static func displayed(_ text: String) -> String { String(text.flatMap(glyphs)) }

    /// "‹RLO›" for the bidi controls and invisible characters a report may carry.
    static func name(of s: Unicode.Scalar) -> String {
        let short: String? =
            switch s.value {
            case 0x061C: "ALM"
            case 0x200B: "ZWSP"
            case 0x200C: "ZWNJ"
            case 0x200E: "LRM"
            case 0x200F: "RLM"
            case 0x2028: "LSEP"
            case 0x2029: "PSEP"
            case 0x202A: "LRE"
            case 0x202B: "RLE"
            case 0x202C: "PDF"
            case 0x202D: "LRO"
            case 0x202E: "RLO"
            case 0x2060: "WJ"
            case 0x2066: "LRI"
            case 0x2067: "RLI"
            case 0x2068: "FSI"
            case 0x2069: "PDI"
            case 0xFEFF: "BOM"
            default: nil
            }
        if let short { return "‹\(short)›" }
        if s.value < 0x20 { return String(Character(Unicode.Scalar(0x2400 + s.value)!)) }
        let hex = String(s.value, radix: 16, uppercase: true)
        return "‹U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)›"
    }

    static func isDrawable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return false }
        if v == 0x200D || (0xFE00...0xFE0F).contains(v) { return true }
        switch s.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned: return false
        default: return true
        }
    }
}
