import CallDashCore
import NIOCore

/// What `push` sends and how.
public struct PushPlan: Sendable {
    /// Where each report is POSTed.
    public var url: String
    /// How many reports; nil sends until cancelled (the demo provider).
    public var count: Int?
    /// Reports per second; nil sends as fast as `concurrency` allows.
    public var rate: Double?
    /// Tries per report; the provider's rule decides success (200 or 202 only).
    public var attempts: Int
    /// Reports in flight at once.
    public var concurrency: Int
    /// The first retry waits this long, each later one twice as long.
    public var initialBackoff: Duration
    /// Connect plus whole-request limit for one attempt.
    public var timeout: TimeAmount
    /// When set, each report is sent as this compose webhook renders it, to `url`'s scheme,
    /// host and port with the rendered path and query.
    public var webhook: CompiledWebhook?
    /// Where the webhook's `%secrets%` come from.
    public var secrets = SecretSource(environment: [:])
    /// Where simulated reports' recordings are (the demo points them at its own receiver).
    public var recordings: String?
    /// Simulated reports take a campaign's shape: several flows and bridges, provider retries,
    /// office hours (`SyntheticReports`).
    public var campaignShape = false

    public init(
        url: String, count: Int? = 1, rate: Double? = nil, attempts: Int = 3, concurrency: Int = 16,
        initialBackoff: Duration = .milliseconds(100), timeout: TimeAmount = .seconds(10)
    ) {
        self.url = url
        self.count = count
        self.rate = rate
        self.attempts = attempts
        self.concurrency = concurrency
        self.initialBackoff = initialBackoff
        self.timeout = timeout
    }
}

/// Where the bodies come from.
public enum ReportSource: Sendable {
    case synthetic(seed: UInt64)
    /// Bodies from a file, sent in order and cycled when `count` is larger.
    case given([[UInt8]])
    /// Requests made already (stored deliveries replayed), each sent as it is.
    case requests([RenderedRequest])
}

/// How a push went, as `--json` prints it.
public struct PushSummary: Sendable, Equatable {
    /// Reports sent at least once; `failed` of them were not delivered.
    public var sent = 0
    public var delivered = 0
    public var failed = 0
    /// Reports that never became a request (unreadable, or not renderable).
    public var notSent = 0
    public var attempts = 0
    /// Final answer per failed report: an HTTP status or the transport error.
    public var failures: [String: Int] = [:]

    public init() {}

    /// Adds another push's figures (a replay sends batch after batch).
    public mutating func add(_ o: PushSummary) {
        sent += o.sent
        delivered += o.delivered
        failed += o.failed
        notSent += o.notSent
        attempts += o.attempts
        failures.merge(o.failures, uniquingKeysWith: +)
    }

    public var json: String {
        "{\"sent\":\(sent),\"delivered\":\(delivered),\"failed\":\(failed),\"not_sent\":\(notSent),\"attempts\":\(attempts)}"
    }

    public var text: String {
        var s = "sent \(sent), delivered \(delivered), failed \(failed), attempts \(attempts)"
        if notSent > 0 { s += ", not sent \(notSent)" }
        if !failures.isEmpty {
            s += " (failures: " + failures.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ") + ")"
        }
        return s
    }
}
