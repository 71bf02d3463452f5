/// The outcome of checking that a recording URL is reachable (a HEAD request).
public struct URLCheck: Equatable, Sendable {
    public var status: Int?
    /// The status's reason phrase ("Not Found").
    public var reason: String?
    public var contentType: String?
    public var contentLength: Int?
    public var millis: Int
    /// Why there was no answer (timeout, refused, bad URL).
    public var failure: String?

    public init(
        status: Int? = nil, reason: String? = nil, contentType: String? = nil, contentLength: Int? = nil, millis: Int,
        failure: String? = nil
    ) {
        self.status = status
        self.reason = reason
        self.contentType = contentType
        self.contentLength = contentLength
        self.millis = millis
        self.failure = failure
    }

    public var reachable: Bool { status.map { (200..<400).contains($0) } ?? false }
}
