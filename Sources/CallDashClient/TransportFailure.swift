import AsyncHTTPClient
import CallDashCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Why a request got no answer, in the words a user would use: "connection refused by
/// 127.0.0.1:1", "unknown host recordings.example.com", "not a URL", never a Swift type name.
enum TransportFailure {
    static func describe(_ error: Error, url: String? = nil) -> String {
        switch error {
        case let e as HTTPClientError: return describe(e, url: url)
        case let e as NIOConnectionError: return describe(e)
        case let e as IOError: return errnoText(e.errnoCode, at: url.flatMap { RenderedRequest.target(of: $0)?.authority })
        case is SocketAddressError.UnknownHost:
            let host = url.flatMap { RenderedRequest.target(of: $0)?.authority.split(separator: ":").first }
            return "unknown host" + (host.map { " \($0)" } ?? "")
        default: return shortened("\(error)")
        }
    }

    private static func describe(_ e: HTTPClientError, url: String?) -> String {
        switch e {
        case .connectTimeout: return "no connection within \(Clients.connectSeconds) s"
        case .getConnectionFromPoolTimeout: return "no free connection in time (too many requests under way)"
        case .deadlineExceeded, .readTimeout: return "no answer in time"
        case .remoteConnectionClosed: return "the server closed the connection without answering"
        case .emptyScheme, .emptyHost, .invalidURL: return "not a URL" + (url.map { ": \($0)" } ?? "")
        case .cancelled: return "cancelled"
        default:
            // `unsupportedScheme` carries the scheme, so it cannot be matched as a value.
            if "\(e)".contains("unsupportedScheme") { return "not an http:// or https:// URL" + (url.map { ": \($0)" } ?? "") }
            return shortened("\(e)")
        }
    }

    private static func describe(_ e: NIOConnectionError) -> String {
        if e.dnsAError != nil || e.dnsAAAAError != nil, e.connectionErrors.isEmpty { return "unknown host \(e.host)" }
        guard let first = e.connectionErrors.first else { return "no address to connect to for \(e.host)" }
        if let io = first.error as? IOError { return errnoText(io.errnoCode, at: "\(e.host):\(e.port)") }
        return shortened("\(first.error)")
    }

    /// "connection refused by 127.0.0.1:1", "no route to host (10.0.0.9:80)".
    private static func errnoText(_ code: Int32, at place: String?) -> String {
        let text = String(cString: strerror(code)).lowercased()
        guard let place else { return text }
        return code == ECONNREFUSED ? "\(text) by \(place)" : "\(text) (\(place))"
    }

    /// Text of an unexpected error, cut at a word boundary (never mid-word) to fit one line.
    static func shortened(_ text: String, limit: Int = 100) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut + "…"
    }
}

/// The HTTP clients of this program: one for the provider's deliveries (`push`), one for single
/// requests the user asks for (a URL check, a test send). Neither retries a failed connection
/// inside AsyncHTTPClient: a refused connection or an unknown host is reported at once, and
/// `push` applies the provider's own retries on top.
enum Clients {
    static let connectSeconds: Int64 = 3

    static func configuration() -> HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.timeout = .init(connect: .seconds(connectSeconds), read: .seconds(10))
        c.connectionPool.retryConnectionEstablishment = false
        return c
    }

    /// For checks of recording URLs: lives as long as the program (like `HTTPClient.shared`).
    static let oneShot = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration())
}
