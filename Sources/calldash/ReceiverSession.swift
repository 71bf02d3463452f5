import CallDashCore
import CallDashReceiver
import Logging

/// A running receiver with its store, journal and recorder: what `serve` and `watch` share.
struct ReceiverSession {
    let recorder: Recorder
    let receiver: Receiver
    let port: Int
    let replay: ReplayResult
    let webhooks: WebhookWatcher
    private let watching: Task<Void, Never>

    /// Replays the journal, opens it for appending, reads the webhooks folder and starts listening.
    /// Warnings (a torn journal line, a broken webhook file) go to `warn`.
    /// Problems while running (the journal cannot be written, its file went missing) go to
    /// `report`, or to the log when there is none.
    static func start(
        _ options: ReceiverOptions, sparingACore: Bool = false, demoRecordings: Bool = false, logger: Logger,
        report: (@Sendable (String) -> Void)? = nil, warn: (String) -> Void
    ) async throws -> ReceiverSession {
        let store = ReportStore(capacity: options.capacity)
        var journal: Journal?
        var replay = ReplayResult(records: 0, lastSeq: 0, tornBytes: 0)
        if let path = options.journalPath {
            replay = try JournalReplay.replay(path: path, into: store, warn: warn)
            journal = try Journal(path: path, fsync: options.fsync)
        }
        // A request rendered with `%secrets%` and sent here ("send to itself", `push --webhook`)
        // must not put them in the journal, in any encoding (SecretRedactor).
        let secrets = SecretSource.process.values
        let token = try options.resolvedToken()
        let recorder = Recorder(
            store: store, journal: journal, lastSeq: replay.lastSeq,
            redactor: SecretRedactor(secrets: (token.map { [$0] } ?? []) + secrets, maskingAuthorization: !secrets.isEmpty),
            report: report ?? { logger.error("\($0)") })
        if token == nil, !Self.isLoopback(options.host) {
            warn(
                "listening on \(options.host) without --token: anyone who can reach this address can send deliveries and read every report")
        }
        let webhooks = WebhookWatcher(path: options.webhooks.path)
        for problem in webhooks.reload() { warn("webhook file not used: \(problem)") }
        let configuration = options.configuration(
            sparingACore: sparingACore, webhooks: webhooks.registry, token: token, demoRecordings: demoRecordings)
        let receiver = Receiver(configuration: configuration, recorder: recorder, logger: logger)
        let port = try await receiver.start()
        let watching = Task { await webhooks.watch() }
        return ReceiverSession(recorder: recorder, receiver: receiver, port: port, replay: replay, webhooks: webhooks, watching: watching)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Stops listening and makes sure the journal is on disk.
    func stop() async {
        watching.cancel()
        await receiver.stop()
        recorder.flush()
    }
}
