import Foundation

/// Default file locations, following the XDG base directories.
enum Paths {
    static var stateHome: String {
        if let s = ProcessInfo.processInfo.environment["XDG_STATE_HOME"], s.hasPrefix("/") { return s }
        return home + "/.local/state"
    }

    static var defaultJournal: String { stateHome + "/calldash/journal.jsonl" }

    private static var home: String {
        ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }
}
