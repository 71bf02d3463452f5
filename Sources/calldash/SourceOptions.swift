import ArgumentParser
import Foundation

/// Where `stats` and `replay` read deliveries: a journal (no receiver needed) or a running receiver.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read this journal, without a receiver (default: the default journal).", valueName: "path"))
    var journal: String?

    @Option(help: ArgumentHelp("Ask the receiver running at this URL instead (http://host:port).", valueName: "url"))
    var from: String?

    @Option(help: ArgumentHelp("The receiver's token, for --from (or CALLDASH_TOKEN).", valueName: "secret"))
    var token: String?

    func validate() throws {
        if journal != nil, from != nil {
            throw ValidationError("--journal and --from contradict each other: one reads a file, the other asks a receiver")
        }
        if token != nil, from == nil { throw ValidationError("--token is for --from (a journal needs none)") }
    }

    /// The token for `--from`: the option's, else `CALLDASH_TOKEN`'s.
    var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["CALLDASH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } }

    /// The journal to read: the option's, or the default one; it must exist.
    func journalPath() throws -> String {
        let path = journal ?? Paths.defaultJournal
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(
                "no journal at \(path)" + (journal == nil ? " (name one with --journal, or ask a running receiver with --from URL)" : ""))
        }
        return path
    }
}
