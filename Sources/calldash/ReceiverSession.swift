import CallDashCore
import CallDashReceiver
import Logging

/// A running receiver with its store, journal and recorder: what `serve` and `watch` share.
struct ReceiverSession {
    let recorder: Recorder
    let receiver: Receiver
    let port: Int
    let replay: ReplayResult

    /// Replays the journal, opens it for appending and starts listening.
    /// Warnings (a torn journal line) go to `warn`.
    static func start(_ options: ReceiverOptions, sparingACore: Bool = false, logger: Logger, warn: (String) -> Void) async throws -> ReceiverSession {
        let store = ReportStore(capacity: options.capacity)
        var journal: Journal?
        var replay = ReplayResult(records: 0, lastSeq: 0, tornBytes: 0)
        if let path = options.journalPath {
            replay = try JournalReplay.replay(path: path, into: store, warn: warn)
            journal = try Journal(path: path, fsync: options.fsync)
        }
        let recorder = Recorder(
            store: store, journal: journal, lastSeq: replay.lastSeq,
            redactor: SecretRedactor(secrets: options.token.map { [$0] } ?? []))
        let receiver = Receiver(configuration: options.configuration(sparingACore: sparingACore), recorder: recorder, logger: logger)
        let port = try await receiver.start()
        return ReceiverSession(recorder: recorder, receiver: receiver, port: port, replay: replay)
    }

    /// Stops listening and makes sure the journal is on disk.
    func stop() async {
        await receiver.stop()
        recorder.journal?.flush()
    }
}
