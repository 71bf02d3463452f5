import ArgumentParser
import Foundation

/// The `calldash` command: a receiver and dashboard for call-report webhooks.
@main
struct CallDash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldash",
        abstract: "Watch telephony call-report webhooks: receive, store, journal, inspect and replay them.",
        version: "0.1.0",
        subcommands: [Watch.self, Serve.self, Push.self],
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
            let message = fullMessage(for: error)
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

/// Writes straight to a file descriptor; stdout lines from several threads must not interleave.
enum Output {
    static func line(_ bytes: [UInt8], fd: Int32 = 1) {
        var buffer = bytes
        buffer.append(0x0A)
        write(buffer, fd: fd)
    }

    /// Writes all of `bytes`, retrying short writes; gives up silently if the reader is gone.
    static func write(_ buffer: [UInt8], fd: Int32) {
        buffer.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = Foundation.write(fd, p.baseAddress! + done, p.count - done)
                if n <= 0 {
                    if errno == EINTR { continue }
                    return
                }
                done += n
            }
        }
    }

    static func line(_ s: String, fd: Int32 = 1) { line(Array(s.utf8), fd: fd) }

    static func warn(_ s: String) { line("calldash: " + s, fd: 2) }
}
