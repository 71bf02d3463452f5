import ArgumentParser
import Foundation

/// The `calldash` command: a receiver and dashboard for call-report webhooks.
@main
struct CallDash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldash",
        abstract: "Watch telephony call-report webhooks: receive, store, journal, inspect and replay them.",
        version: "0.1.0",
        subcommands: [Watch.self, Serve.self, Push.self, Render.self],
        defaultSubcommand: Watch.self)

    /// Every failure ends in one readable line on stderr and a non-zero exit, never a stack trace
    /// or a usage dump; `--help` and `--version` still print in full.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            let message =
                fullMessage(for: error)
                .split(separator: "\n").first.map(String.init)?
                .replacingOccurrences(of: "Error: ", with: "") ?? "\(error)"
            FileHandle.standardError.write(Data("calldash: \(message)\n".utf8))
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// A failure reported as one line, with the exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
