/// A compose-webhook template, parsed once and rendered for many calls: literal text,
/// `{{variable}}` (a standard field, or `id`) and `%secret%` (from the environment).
public struct Template: Equatable, Sendable {
    public enum Part: Equatable, Sendable {
        case text(String)
        /// A variable and the column (1-based) where its `{{` starts.
        case variable(String, column: Int)
        case secret(String, column: Int)
    }

    public let field: String
    public let parts: [Part]

    /// The names a template may use: the standard fields and `id` (which falls back to `mid`).
    public static let variableNames: [String] = ReportField.allCases.map(\.rawValue) + ["id"]

    /// Parses `source`; `field` names it in errors ("url", "header Authorization", …).
    public init(_ source: String, field: String) throws(TemplateError) {
        self.field = field
        var parts: [Part] = []
        let chars = Array(source)
        var text = ""
        var i = 0
        func fail(_ column: Int, _ problem: String, _ suggestion: String? = nil) -> TemplateError {
            TemplateError(field: field, column: column, problem: problem, suggestion: suggestion)
        }
        while i < chars.count {
            let c = chars[i]
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let start = i
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") { j += 1 }
                guard j + 1 < chars.count else { throw fail(start + 1, "{{ is not closed with }}") }
                let name = String(chars[(i + 2)..<j]).trimmed
                guard !name.isEmpty else { throw fail(start + 1, "empty variable name in {{}}") }
                guard Self.variableNames.contains(name) else {
                    throw fail(start + 3, "unknown variable {{\(name)}}", Suggestion.nearest(to: name, among: Self.variableNames))
                }
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(.variable(name, column: start + 1))
                i = j + 2
            } else if c == "%", i + 1 < chars.count, Self.isNameStart(chars[i + 1]) {
                var j = i + 1
                while j < chars.count, Self.isNameChar(chars[j]) { j += 1 }
                let name = String(chars[(i + 1)..<j])
                if j < chars.count, chars[j] == "%" {
                    if !text.isEmpty { parts.append(.text(text)); text = "" }
                    parts.append(.secret(name, column: i + 1))
                    i = j + 1
                    continue
                }
                // `%name` running into the end, a space or another `%` later in the same word is
                // a secret written wrong; anything else (`%20`, `50%`) is plain text.
                if j == chars.count || chars[j].isWhitespace {
                    throw fail(i + 1, "secret %\(name) is not closed: write %\(name)%")
                }
                var k = j
                while k < chars.count, !chars[k].isWhitespace, chars[k] != "%" { k += 1 }
                if k < chars.count, chars[k] == "%" {
                    throw fail(i + 1, "bad secret name \"\(String(chars[(i + 1)..<k]))\": use letters, digits and _")
                }
                text.append(c)
                i += 1
            } else {
                text.append(c)
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    public static func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    public static func isNameChar(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) }

    /// The secrets this template needs.
    public var secretNames: [String] {
        parts.compactMap { if case let .secret(n, _) = $0 { n } else { nil } }
    }
}
