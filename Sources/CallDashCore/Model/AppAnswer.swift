/// What the user's app answered to a forwarded delivery, as the provider gets it with
/// `--forward-reply`: its status, content type and body.
public struct AppAnswer: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// The most of an app's answer passed on to the provider.
    public static let maxBody = 1 << 20
}
