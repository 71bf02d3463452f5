import CallDashCore
import NIOCore

/// How the receiver listens and answers.
public struct ReceiverConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `Receiver.start()` returns the one bound.
    public var port: Int
    /// The status every accepted delivery is answered with (`--respond`).
    public var respondCode: Int
    /// When set, every path but `/_calldash/health` needs `Authorization: Bearer <token>`.
    public var token: String?
    public var limits: DeliveryLimits
    /// A connection that sends nothing for this long is closed (keep-alive idle, stalled uploads).
    public var idleTimeout: TimeAmount
    /// A request whose body has not fully arrived after this long is answered 408 and closed.
    public var requestTimeout: TimeAmount
    /// A stream client that takes nothing in for this long (or the idle timeout, if shorter) is
    /// cut off: it holds its queue.
    public var streamStall: TimeAmount = .seconds(15)
    /// Event-loop threads; the default is one per core.
    public var threads: Int
    /// Compose webhooks that payloads are mapped back through (`--webhooks`).
    public var webhooks: WebhookRegistry?
    /// Host names besides the listen address and `localhost` that the API answers without a
    /// token (`--allow-host`).
    public var allowedHosts: [String]
    /// Serve `/_calldash/demo/recordings/…` (`watch --demo`), so the demo's recording URLs answer.
    public var demoRecordings = false
    /// `--forward-reply`: an accepted delivery, once journaled, is answered with what this
    /// gives for its record (the user's app's answer), instead of the prepared reply.
    public var appAnswer: (@Sendable (DeliveryRecord) async -> AppAnswer)?

    /// Where `watch --demo` serves the recordings its simulated calls point at.
    public static let demoRecordingsPath = "/_calldash/demo/recordings"

    public init(
        host: String = "127.0.0.1", port: Int = 8080, respondCode: Int = 200, token: String? = nil,
        limits: DeliveryLimits = DeliveryLimits(), idleTimeout: TimeAmount = .seconds(60),
        requestTimeout: TimeAmount = .seconds(30), threads: Int = System.coreCount, webhooks: WebhookRegistry? = nil,
        allowedHosts: [String] = []
    ) {
        self.webhooks = webhooks
        self.allowedHosts = allowedHosts
        self.host = host
        self.port = port
        self.respondCode = respondCode
        self.token = token
        self.limits = limits
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.threads = threads
    }
}
