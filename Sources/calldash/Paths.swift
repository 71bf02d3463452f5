import Foundation

/// Default file locations, following the XDG base directories.
enum Paths {
    static var stateHome: String {
        if let s = ProcessInfo.processInfo.environment["XDG_STATE_HOME"], s.hasPrefix("/") { return s }
        return home + "/.local/state"
    }

    static var configHome: String {
        if let s = ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"], s.hasPrefix("/") { return s }
        return home + "/.config"
    }

    static var defaultWebhooks: String { configHome + "/calldash/webhooks" }

    static var defaultLog: String { stateHome + "/calldash/calldash.log" }

    static var defaultJournal: String { stateHome + "/calldash/journal.jsonl" }

    /// `path` with the home directory shown as `~`.
    static func short(_ path: String) -> String {
        path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
    }

    private static var home: String {
        ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }
}
