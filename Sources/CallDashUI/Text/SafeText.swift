/// Makes untrusted text safe to draw: a report can carry escape sequences, control characters
/// or bidirectional overrides in any field, and none of them may reach the terminal.
public enum SafeText {
    /// The character as it should be drawn: controls become their visible Control Pictures
    /// (ESC shows as ␛), C1 controls, bidi controls and other invisible formatting become U+FFFD.
    public static func displayed(_ c: Character) -> Character {
        if let a = c.asciiValue {
            if a >= 0x20 && a < 0x7F { return c }
            if a == 0x7F { return "\u{2421}" }
            if c == "\r\n" { return "\u{240D}" }
            return Character(Unicode.Scalar(0x2400 + UInt32(a))!)
        }
        var clean = true
        for s in c.unicodeScalars where !isDrawable(s) {
            clean = false
            break
        }
        if clean { return c }
        // Keep the base if it is drawable; drop what follows (it was the unsafe part).
        if let first = c.unicodeScalars.first, isDrawable(first), first.value >= 0x20 { return Character(first) }
        return "\u{FFFD}"
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
