/// The provider's verdict on one answer: only 200 and 202 count as delivered.
public enum ProviderRule {
    public static func delivered(_ status: Int) -> Bool { status == 200 || status == 202 }
}

/// What one test send got back, judged by the provider's rule.
public struct SendVerdict: Equatable, Sendable {
    /// The HTTP status, or nil when no answer came.
    public var status: Int?
    public var millis: Int
    /// Why there was no answer (refused, timeout, …).
    public var failure: String?
    /// The start of the reply body, as text.
    public var reply: String

    public var delivered: Bool { status.map(ProviderRule.delivered) ?? false }

    public init(status: Int?, millis: Int, failure: String? = nil, reply: String = "") {
        self.status = status
        self.millis = millis
        self.failure = failure
        self.reply = reply
    }
}

extension SendVerdict {
    /// "200 in 12 ms", "500 in 3 ms (not delivered: only 200 and 202 are)", "no answer: connection refused".
    public var summary: String {
        guard let status else { return "no answer: \(failure ?? "no reply")" }
        return "\(status) in \(millis) ms" + (delivered ? "" : " (not delivered: only 200 and 202 are)")
    }
}
