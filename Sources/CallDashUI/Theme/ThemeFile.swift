import CallDashCore

/// A theme file that could not be used: which file, which line, what is wrong.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var problem: String
    /// The file's other problems, each on its own line: a file is refused with all of them named.
    public var more: [ThemeError] = []

    public var description: String { "\(file):\(line): \(problem)" + alsoText }

    /// "; line 3: status.busy: …" for each further problem.
    public var alsoText: String { more.map { "; line \($0.line): \($0.problem)" }.joined() }
}

/// Reads theme files: one `role = colour [on colour] [attribute…]` per line; lines starting
/// with `#` are comments (a `#` later on a line is a `#rrggbb` colour).
/// Colours are `default`, the eight names (`red`, `bright-red`, …), a palette number 0–255
/// or `#rrggbb`; attributes are `bold`, `dim`, `underline`, `reverse`. Roles not named keep
/// the built-in default.
public enum ThemeFile {
    public static let fileExtension = "theme"

    /// Parses `text` over `base`. `file` names the source in errors.
    public static func parse(_ text: String, name: String, file: String, over base: Theme = .dark) throws(ThemeError) -> Theme {
        var theme = base
        theme.name = name
        theme.background = .any // unless the file says what it is made for
        let roles = Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0.rawValue, $0) })
        var seen: Set<String> = []
        var problems: [ThemeError] = []
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            guard !line.allSatisfy(\.isWhitespace), !line.trimmed.hasPrefix("#") else { continue }
            let fail = { (problem: String) in ThemeError(file: file, line: n + 1, problem: problem) }
            guard let eq = line.firstIndex(of: "=") else {
                problems.append(fail("expected \"role = colour\", found \"\(line.trimmed)\""))
                continue
            }
            let key = String(line[..<eq]).trimmed
            if key == "background" {
                let value = String(line[line.index(after: eq)...]).trimmed
                if let b = ThemeBackground(rawValue: value.lowercased()) {
                    theme.background = b
                } else {
                    problems.append(fail("background: \"\(value)\" is not dark, light or any"))
                }
                continue
            }
            guard let role = roles[key] else {
                let hint = Suggestion.nearest(to: key, among: roles.keys.sorted()).map { " (did you mean \($0)?)" } ?? ""
                problems.append(fail("unknown role \"\(key)\"\(hint)"))
                continue
            }
            guard seen.insert(key).inserted else {
                problems.append(fail("role \"\(key)\" is set twice"))
                continue
            }
            do {
                theme[role] = try style(String(line[line.index(after: eq)...]))
            } catch {
                problems.append(fail("\(key): \(error.problem)"))
            }
        }
        if var first = problems.first {
            first.more = Array(problems.dropFirst())
            throw first
        }
        return theme
    }

    struct StyleProblem: Error { var problem: String }

    static func style(_ text: String) throws(StyleProblem) -> Style {
        let words = text.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard !words.isEmpty else { throw StyleProblem(problem: "no colour given") }
        var style = Style()
        var i = 0
        if i < words.count, Attribute(rawValue: words[i]) == nil, words[i] != "on" {
            style.fg = try color(words[i])
            i += 1
        }
        if i < words.count, words[i] == "on" {
            guard i + 1 < words.count else { throw StyleProblem(problem: "\"on\" needs a background colour") }
            style.bg = try color(words[i + 1])
            i += 2
        }
        while i < words.count {
            guard let a = Attribute(rawValue: words[i]) else {
                throw StyleProblem(problem: "\"\(words[i])\" is not an attribute (bold, dim, underline, reverse)")
            }
            style.attributes.insert(a.value)
            i += 1
        }
        return style
    }

    enum Attribute: String {
        case bold, dim, underline, reverse
        var value: Attributes {
            switch self {
            case .bold: .bold
            case .dim: .dim
            case .underline: .underline
            case .reverse: .reverse
            }
        }
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func color(_ word: String) throws(StyleProblem) -> Color {
        if word == "default" { return .default }
        if let i = names.firstIndex(of: word) { return .palette(UInt8(i)) }
        if word.hasPrefix("bright-"), let i = names.firstIndex(of: String(word.dropFirst(7))) { return .palette(UInt8(8 + i)) }
        if let n = Int(word) {
            guard (0...255).contains(n) else { throw StyleProblem(problem: "colour \(n) is outside 0-255") }
            return .palette(UInt8(n))
        }
        if word.hasPrefix("#"), word.count == 7, let rgb = Int(word.dropFirst(), radix: 16) {
            // The nearest colour of the 6x6x6 cube.
            let level = { (v: Int) in v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
            let (r, g, b) = (level(rgb >> 16 & 0xFF), level(rgb >> 8 & 0xFF), level(rgb & 0xFF))
            return .palette(UInt8(16 + 36 * r + 6 * g + b))
        }
        let hint = Suggestion.nearest(to: word, among: names + ["default"]).map { " (did you mean \($0)?)" } ?? ""
        throw StyleProblem(problem: "\"\(word)\" is not a colour\(hint): use a name, 0-255 or #rrggbb")
    }
}
