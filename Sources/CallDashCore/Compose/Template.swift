/// A compose-webhook template, parsed once and rendered for many calls: literal text,
/// `{{variable}}` (a standard field, or `id`) and `%secret%` (from the environment).
public struct Template: Equatable, Sendable {
    public enum Part: Equatable, Sendable {
        case text(String)
        /// A variable and the column (1-based) where its `{{` starts.
        case variable(String, column: Int)
        case secret(String, column: Int)
    }

    public let location: TemplateLocation
    public let parts: [Part]

    /// The names a template may use: the standard fields and `id` (which falls back to `mid`).
    public static let variableNames: [String] = ReportField.allCases.map(\.rawValue) + ["id"]

    /// Parses `source`; errors name `location`.
    /// The markers are ASCII, so the scan runs over UTF-8 bytes (the preview reparses on every
    /// keystroke); columns are counted in characters, as the editor shows them.
    public init(_ source: String, location: TemplateLocation) throws(TemplateError) {
        self.location = location
        let bytes = Array(source.utf8)
        let n = bytes.count
        func text(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }
        // Positions only move forward, so characters are counted once, from the last one asked.
        var counted = (byte: 0, characters: 0)
        func column(_ i: Int) -> Int {
            counted = (i, counted.characters + text(counted.byte..<i).count)
            return counted.characters + 1
        }
        func fail(_ i: Int, _ problem: String, _ suggestion: String? = nil) -> TemplateError {
            TemplateError(location: location, column: column(i), problem: problem, suggestion: suggestion)
        }
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        let percent = UInt8(ascii: "%")
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var parts: [Part] = []
        var textStart = 0
        var i = 0
        func flush(upTo end: Int) { if end > textStart { parts.append(.text(text(textStart..<end))) } }
        while i < n {
            let c = bytes[i]
            if c == open, i + 1 < n, bytes[i + 1] == open {
                var j = i + 2
                while j + 1 < n, !(bytes[j] == close && bytes[j + 1] == close) { j += 1 }
                guard j + 1 < n else { throw fail(i, "{{ is not closed with }}") }
                let name = text((i + 2)..<j).trimmed
                guard !name.isEmpty else { throw fail(i, "empty variable name in {{}}") }
                guard Self.variableNames.contains(name) else {
                    throw fail(i + 2, "unknown variable {{\(name)}}", Suggestion.nearest(to: name, among: Self.variableNames))
                }
                flush(upTo: i)
                parts.append(.variable(name, column: column(i)))
                i = j + 2
                textStart = i
            } else if c == percent, i + 1 < n, Self.isNameStart(bytes[i + 1]) {
                var j = i + 1
                while j < n, Self.isNameChar(bytes[j]) { j += 1 }
                let name = text((i + 1)..<j)
                if j < n, bytes[j] == percent {
                    flush(upTo: i)
                    parts.append(.secret(name, column: column(i)))
                    i = j + 1
                    textStart = i
                    continue
                }
                // `%name` running into the end, a space or another `%` later in the same word is
                // a secret written wrong; anything else (`%20`, `50%`) is plain text.
                if j == n || isSpace(bytes[j]) {
                    throw fail(i, "secret %\(name) is not closed: write %\(name)%")
                }
                var k = j
                while k < n, !isSpace(bytes[k]), bytes[k] != percent { k += 1 }
                if k < n, bytes[k] == percent {
                    throw fail(i, "bad secret name \"\(text((i + 1)..<k))\": use letters, digits and _")
                }
                i += 1
            } else {
                i += 1
            }
        }
        flush(upTo: n)
        self.parts = parts
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z"))
    }
    static func isNameChar(_ b: UInt8) -> Bool { isNameStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) }

    /// Whether `c` may be part of a `%secret%` name (the editor colours secrets with it).
    public static func isNameChar(_ c: Character) -> Bool { c.asciiValue.map(isNameChar) ?? false }
}
