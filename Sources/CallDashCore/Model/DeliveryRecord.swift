/// Whether the receiver took a delivery in or refused it (a refused one is still recorded).
public enum Outcome: String, Sendable, Equatable {
    case accepted
    case rejected
}

/// Everything known about one HTTP request the receiver got: the unit of the store, the journal,
/// `serve`'s output and the `/_calldash/reports` API.
public struct DeliveryRecord: Sendable, Equatable {
    /// Assigned by the recorder; counts from 1 and continues across restarts.
    public var seq: UInt64
    public var receivedAt: Timestamp
    public var method: String
    public var path: String
    /// The query string's parameters, decoded, in arrival order (duplicates kept).
    public var query: [NameValue]
    /// Request headers in arrival order, secrets already masked.
    public var headers: [NameValue]
    /// The peer's address, "ip:port".
    public var remote: String
    public var contentType: String?
    /// The HTTP status the receiver answered with.
    public var responseCode: Int
    public var outcome: Outcome
    /// Why the delivery was rejected; nil when accepted.
    public var error: String?
    public var fields: ReportFields
    /// Keys outside the standard set, values as text, in arrival order.
    public var extra: [NameValue]
    /// The body exactly as it arrived (secrets masked).
    public var raw: [UInt8]
    /// The compose webhook the delivery was mapped through, if any.
    public var webhook: Int?
    /// The seq of an earlier stored delivery whose standard fields are all equal (a provider
    /// retry); set by the recorder.
    public var duplicateOf: UInt64?
    /// The last attempt to forward it to the user's app (`--forward-to`): kept beside the
    /// record (each attempt is a journal line of its own) and added to it where it is served.
    public var forward: ForwardAttempt?

    public init(
        seq: UInt64 = 0, receivedAt: Timestamp, method: String, path: String, query: [NameValue] = [],
        headers: [NameValue] = [], remote: String = "", contentType: String? = nil, responseCode: Int = 200,
        outcome: Outcome = .accepted, error: String? = nil, fields: ReportFields = ReportFields(),
        extra: [NameValue] = [], raw: [UInt8] = [], webhook: Int? = nil, duplicateOf: UInt64? = nil
    ) {
        self.seq = seq
        self.receivedAt = receivedAt
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remote = remote
        self.contentType = contentType
        self.responseCode = responseCode
        self.outcome = outcome
        self.error = error
        self.fields = fields
        self.extra = extra
        self.raw = raw
        self.webhook = webhook
        self.duplicateOf = duplicateOf
    }

    /// True when `raw` is valid UTF-8 and can be journaled as text; otherwise it goes as base64.
    public var rawIsUTF8: Bool { UTF8Validation.firstInvalidOffset(raw) == nil }
}
