/// The themes to choose from: the built-in default first, then every readable theme file.
public struct ThemeCatalog: Sendable {
    public private(set) var themes: [Theme]
    /// Theme files that were refused, each naming its file, line and problem.
    public private(set) var errors: [ThemeError]

    /// `files` are (path, contents) pairs; a file's theme is named after its base name, and a
    /// file named like an earlier one replaces it (so `dark.theme` restyles the default).
    public init(files: [(path: String, text: String)]) {
        themes = [.dark]
        errors = []
        for (path, text) in files {
            let name = Self.name(ofPath: path)
            do {
                let theme = try ThemeFile.parse(text, name: name, file: path)
                if let i = themes.firstIndex(where: { $0.name == name }) { themes[i] = theme } else { themes.append(theme) }
            } catch {
                errors.append(error)
            }
        }
    }

    public var names: [String] { themes.map(\.name) }

    public func theme(named name: String) -> Theme? { themes.first { $0.name == name } }

    /// Adds a theme (one read from a file named on the command line), replacing one of the same name.
    public mutating func add(_ theme: Theme) {
        if let i = themes.firstIndex(where: { $0.name == theme.name }) { themes[i] = theme } else { themes.append(theme) }
    }

    public static func name(ofPath path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = "." + ThemeFile.fileExtension
        return base.hasSuffix(suffix) ? String(base.dropLast(suffix.count)) : base
    }
}
