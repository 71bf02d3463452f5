/// Pretty-prints a JSON body into coloured lines, keeping every value's text exactly as sent
/// (numbers are not reformatted). Works token by token, so even a body that is not valid JSON
/// prints without failing.
///
/// The work is linear in the body, whatever it holds: indentation stops growing past
/// `maxIndent` levels (deeper lines say their depth instead), and printing stops after
/// `maxLines` lines with a note (the raw view shows the rest).
public enum JSONPretty {
    public static let maxIndent = 24
    public static let maxLines = 50_000

    public static func lines(_ bytes: [UInt8], indent: String = "  ") -> [StyledLine] {
        var out: [StyledLine] = []
        var line: [(String, ThemeRole)] = []
        var depth = 0
        var i = 0
        let n = bytes.count
        let indents = (0...maxIndent).map { String(repeating: indent, count: $0) }

        func newline() {
            out.append(StyledLine(line))
            line =
                depth <= maxIndent
                ? [(indents[depth], .jsonPunctuation)]
                : [(indents[maxIndent] + "⋯\(depth) ", .jsonPunctuation)]
        }
        func skipSpace(_ j: inout Int) { while j < n, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[j]) { j += 1 } }
        func text(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

        line = []
        while i < n {
            if out.count >= maxLines {
                out.append(StyledLine([("… \(n - i) more bytes not shown here: r shows the raw body", .jsonPunctuation)]))
                return out
            }
            let b = bytes[i]
            switch b {
            case 0x20, 0x0A, 0x0D, 0x09:
                i += 1
            case 0x7B, 0x5B: // { [
                var j = i + 1
                skipSpace(&j)
                if j < n, bytes[j] == b + 2 { // empty {} or []
                    line.append((b == 0x7B ? "{}" : "[]", .jsonPunctuation))
                    i = j + 1
                } else {
                    line.append((b == 0x7B ? "{" : "[", .jsonPunctuation))
                    depth += 1
                    newline()
                    i += 1
                }
            case 0x7D, 0x5D: // } ]
                depth = max(0, depth - 1)
                newline()
                line.append((b == 0x7D ? "}" : "]", .jsonPunctuation))
                i += 1
            case 0x2C:
                line.append((",", .jsonPunctuation))
                newline()
                i += 1
            case 0x3A:
                line.append((": ", .jsonPunctuation))
                i += 1
            case 0x22:
                var j = i + 1
                while j < n, bytes[j] != 0x22 { j += bytes[j] == 0x5C ? 2 : 1 }
                j = min(j + 1, n)
                var k = j
                skipSpace(&k)
                let isKey = k < n && bytes[k] == 0x3A
                line.append((text(i..<j), isKey ? .jsonKey : .jsonString))
                i = j
            default:
                var j = i
                while j < n, ![0x20, 0x0A, 0x0D, 0x09, 0x2C, 0x3A, 0x7B, 0x7D, 0x5B, 0x5D, 0x22].contains(bytes[j]) { j += 1 }
                j = max(j, i + 1)
                let t = text(i..<j)
                line.append((t, t == "true" || t == "false" || t == "null" ? .jsonLiteral : .jsonNumber))
                i = j
            }
        }
        if !line.isEmpty { out.append(StyledLine(line)) }
        return out
    }
}
