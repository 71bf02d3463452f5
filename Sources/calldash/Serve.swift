import ArgumentParser
import CallDashCore
import Logging

/// `calldash serve`: the receiver alone, one JSON line per delivery on stdout.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the receiver headless: print each delivery as one JSON line on stdout.")

    @OptionGroup var receiver: ReceiverOptions

    @Option(
        help: "Log level for stderr (trace, debug, info, notice, warning, error, critical).",
        transform: { text in
            guard let level = Logger.Level(rawValue: text) else {
                throw ValidationError("use one of trace, debug, info, notice, warning, error, critical")
            }
            return level
        })
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let session = try await ReceiverSession.start(receiver, logger: Logger(label: "calldash"), report: Output.warn, warn: Output.warn)
        let (stdout, _) = LineSink.subscribe(session.recorder, fd: 1) { $0.line }
        if session.replay.records > 0 {
            Output.warn("replayed \(session.replay.records) deliveries from \(receiver.journalPath ?? "")")
        }
        Output.warn("listening on http://\(receiver.host):\(session.port)")
        await Termination.wait()
        await session.stop()
        stdout.flush()
    }
}
