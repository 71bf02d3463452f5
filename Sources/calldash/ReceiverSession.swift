import CallDashClient
import CallDashCore
import CallDashReceiver
import Foundation
import Logging

/// A running receiver with its store, journal and recorder: what `serve` and `watch` share.
struct ReceiverSession {
    let recorder: Recorder
    let receiver: Receiver
    let port: Int
    let replay: ReplayResult
    let webhooks: WebhookWatcher
    /// Sends every accepted delivery on to the user's app (`--forward-to`).
    let forwarder: Forwarder?
    /// The `--token` the receiver requires, as read once at start.
    let token: String?
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
            store: store, journal: journal, lastSeq: replay.lastSeq, forwards: replay.forwards,
            redactor: SecretRedactor(secrets: (token.map { [$0] } ?? []) + secrets, maskingAuthorization: !secrets.isEmpty),
            report: report ?? { logger.error("\($0)") })
        if token == nil, !Self.isLoopback(options.host) {
            warn(
                "listening on \(options.host) without --token: anyone who can reach this address can send deliveries and read every report")
        }
        let webhooks = WebhookWatcher(path: options.webhooks.path)
        for problem in webhooks.reload() { warn("webhook file not used: \(problem)") }
        // A fixed port is checked before listening; a port picked at start (0) cannot be named by the URL.
        if let url = options.forwardTo, options.port != 0, Self.isItself(url, host: options.host, port: options.port) {
            throw Failure("--forward-to \(url) is this receiver itself: every forwarded delivery would be forwarded again")
        }
        let forwarder = options.forwardTo.map { url in
            Forwarder(
                Forwarder.Settings(url: url, attempts: options.forwardAttempts, timeout: .seconds(options.forwardTimeout)),
                recorder: recorder, report: report ?? { logger.error("\($0)") })
        }
        var configuration = options.configuration(
            sparingACore: sparingACore, webhooks: webhooks.registry, token: token, demoRecordings: demoRecordings)
        if options.forwardReply, let forwarder {
            configuration.appAnswer = { record in await forwarder.answer(for: record) }
        } else {
            forwarder?.start()
        }
        let receiver = Receiver(configuration: configuration, recorder: recorder, logger: logger)
        let port = try await receiver.start()
        let watching = Task { await webhooks.watch() }
        return ReceiverSession(
            recorder: recorder, receiver: receiver, port: port, replay: replay, webhooks: webhooks, forwarder: forwarder, token: token,
            watching: watching)
    }

    /// Whether `url` names the address this receiver listens on (a forwarding loop).
    static func isItself(_ url: String, host: String, port: Int) -> Bool {
        guard let target = RenderedRequest.target(of: url) else { return false }
        let authority = target.authority // validate() refused a user or password in it
        let hostPart: String
        let portPart: Int
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            hostPart = String(authority[..<colon])
            portPart = Int(authority[authority.index(after: colon)...]) ?? -1
        } else {
            hostPart = authority
            portPart = target.scheme == "https" ? 443 : 80
        }
        let name = hostPart.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        guard portPart == port else { return false }
        // Other spellings of an address (127.1, a host name) are caught as they arrive: a
        // forwarded delivery carries its receivers' marks (CallDash-Forwarded-By).
        return name == host || (isLoopback(host) && name == "localhost") || (host == "0.0.0.0" && (isLoopback(name) || name == "0.0.0.0"))
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Stops listening and makes sure the journal is on disk.
    func stop() async {
        watching.cancel()
        await receiver.stop()
        await forwarder?.stop()
        recorder.flush()
    }
}
