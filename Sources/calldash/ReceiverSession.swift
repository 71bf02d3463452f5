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
    static func start(_ options: ReceiverOptions, sparingACore: Bool = false, logger: Logger, warn: (String) -> Void) async throws -> ReceiverSession {
        let store = ReportStore(capacity: options.capacity)
        var journal: Journal?
        var replay = ReplayResult(records: 0, lastSeq: 0, tornBytes: 0)
        if let path = options.journalPath {
            replay = try JournalReplay.replay(path: path, into: store, warn: warn)
            journal = try Journal(path: path, fsync: options.fsync)
        }
        // A request rendered with `%secrets%` and sent here ("send to itself", `push --webhook`)
        // must not put them in the journal. Values under six characters are only masked in
        // Authorization headers: masking them everywhere would mangle ordinary fields.
        let secrets = SecretSource.process.values
        let recorder = Recorder(
            store: store, journal: journal, lastSeq: replay.lastSeq,
            redactor: SecretRedactor(secrets: (options.token.map { [$0] } ?? []) + secrets.filter { $0.count >= 6 }, maskingAuthorization: !secrets.isEmpty))
        let webhooks = WebhookWatcher(path: options.webhooks.path)
        for problem in webhooks.reload() { warn("webhook file not used: \(problem)") }
        let configuration = options.configuration(sparingACore: sparingACore, webhooks: webhooks.registry)
        let receiver = Receiver(configuration: configuration, recorder: recorder, logger: logger)
        let port = try await receiver.start()
        let watching = Task { await webhooks.watch() }
        return ReceiverSession(recorder: recorder, receiver: receiver, port: port, replay: replay, webhooks: webhooks, watching: watching)
    }

    /// Stops listening and makes sure the journal is on disk.
    func stop() async {
        watching.cancel()
        await receiver.stop()
        recorder.journal?.flush()
    }
}
