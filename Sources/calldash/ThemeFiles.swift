import CallDashUI
import Foundation

/// Finds and reads theme files: the project's `themes/` folder (beside the working directory
/// or above the executable, as in a checkout) and `$XDG_CONFIG_HOME/calldash/themes`, whose
/// files win over same-named ones.
enum ThemeFiles {
    static var directories: [String] {
        var dirs: [String] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            dirs.append(dir.appendingPathComponent("themes").path)
            dir.deleteLastPathComponent()
        }
        dirs.append(FileManager.default.currentDirectoryPath + "/themes")
        dirs.append(Paths.configHome + "/calldash/themes")
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// Every `*.theme` file found, in the order above.
    static func catalog() -> ThemeCatalog {
        var files: [(path: String, text: String)] = []
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix("." + ThemeFile.fileExtension) {
                let path = dir + "/" + name
                if let text = try? String(contentsOfFile: path, encoding: .utf8) { files.append((path, text)) }
            }
        }
        return ThemeCatalog(files: files)
    }

    /// A refused theme file in one short line for the bottom bar (the log has the full path).
    static func refusal(_ e: ThemeError) -> String {
        "theme refused: \(ThemeCatalog.name(ofPath: e.file)).\(ThemeFile.fileExtension):\(e.line): \(e.problem)\(e.alsoText); using the default"
    }

    /// The theme `--theme` names: a file path (contains "/" or ends in ".theme") or a theme name.
    /// A file that cannot be used leaves the default with the reason in `problem`; an unknown
    /// name is a command-line error.
    static func choose(_ choice: String?, in catalog: inout ThemeCatalog) throws -> (index: Int, problem: String?) {
        guard let choice else { return (0, nil) }
        if choice.contains("/") || choice.hasSuffix("." + ThemeFile.fileExtension) {
            guard let text = try? String(contentsOfFile: choice, encoding: .utf8) else {
                throw Failure("--theme: cannot read the theme file \(choice)")
            }
            do {
                let theme = try ThemeFile.parse(text, name: ThemeCatalog.name(ofPath: choice), file: choice)
                catalog.add(theme)
                return (catalog.names.firstIndex(of: theme.name) ?? 0, nil)
            } catch {
                return (0, refusal(error))
            }
        }
        guard let i = catalog.names.firstIndex(of: choice) else {
            // Its file exists but was refused: say why, not that there is no such theme.
            if let refused = catalog.errors.first(where: { ThemeCatalog.name(ofPath: $0.file) == choice }) {
                throw Failure("--theme: the theme file \(refused) was refused")
            }
            throw Failure("--theme: no theme named \"\(choice)\" (themes: \(catalog.names.joined(separator: ", ")))")
        }
        return (i, nil)
    }
}
