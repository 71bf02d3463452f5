import ArgumentParser
import CallDashCore
import Foundation

/// The `calldash` command: a receiver and dashboard for call-report webhooks.
@main
struct CallDash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldash",
        abstract: "Watch telephony call-report webhooks: receive, store, journal, inspect and replay them.",
        version: "0.1.0",
        subcommands: [Watch.self, Serve.self, Push.self, Render.self, Stats.self, Replay.self],
        defaultSubcommand: Watch.self)

    /// Every failure ends in one readable line on stderr and a non-zero exit, never a stack trace
    /// or a usage dump; `--help` and `--version` still print in full.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help", let name = arguments.dropFirst().first, !name.hasPrefix("-"),
            !configuration.subcommands.contains(where: { $0._commandName == name })
        {
            // The parser would print the top-level help and succeed, as if the name were right.
            let names = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            FileHandle.standardError.write(Data("calldash: no command named '\(name)' (the commands are \(names))\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
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
            FileHandle.standardError.write(Data("calldash: \(worded(message))\n".utf8))
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

extension CallDash {
    /// The parser's line, with a "Did you mean" dropped when it names an option that does not
    /// resemble the one typed (`--bogus` is not a misspelt `--log`): `--help` is pointed at instead.
    static func worded(_ parsed: String) -> String {
        // The parser's sentences start in capitals; every other line of calldash does not.
        var message = parsed
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        if message.hasPrefix("unexpected argument") {
            return message + " (the commands are " + configuration.subcommands.map { $0._commandName }.joined(separator: ", ") + ")"
        }
        guard let range = message.range(of: ". Did you mean '") else {
            return message.hasPrefix("unknown option") ? message + " (--help lists the options)" : message
        }
        let typed = message.split(separator: "'").dropFirst().first.map(String.init) ?? ""
        let suggested = String(message[range.upperBound...].prefix { $0 != "'" })
        if Suggestion.distance(Array(typed.unicodeScalars), Array(suggested.unicodeScalars)) <= max(2, suggested.count / 3) {
            return message
        }
        return String(message[..<range.lowerBound]) + " (--help lists the options)"
    }
}

/// A failure reported as one line, with the exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
