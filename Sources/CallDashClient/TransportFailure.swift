import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Why a request got no answer, in the words a user would use: "connection refused by
/// 127.0.0.1:1", "unknown host recordings.example.com", "not a URL", never a Swift type name.
enum TransportFailure {
    static func describe(_ error: Error, url: String? = nil) -> String {
        switch error {
        case let e as HTTPClientError: return describe(e, url: url)
        case is NIOSSLError, is NIOSSLExtraError: return tls(error, url: url)
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

    /// Whether `error` is a handshake the client refused: a certificate not trusted or for
    /// another name, or no TLS at all. Trying again will not help; a connection cut short
    /// (`uncleanShutdown`, a proxy restarting) is not that.
    static func isTLSRefusal(_ error: Error) -> Bool {
        if let e = error as? NIOSSLExtraError { return e == .failedToValidateHostname }
        guard let e = error as? NIOSSLError, case .handshakeFailed = e else { return false }
        let text = "\(e)"
        return Clients.trust.problem != nil || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("WRONG_VERSION_NUMBER")
    }

    /// A refused handshake, with what to do about it.
    private static func tls(_ error: Error, url: String?) -> String {
        let text = "\(error)"
        let host = url.flatMap { RenderedRequest.target(of: $0)?.authority } ?? "the server"
        guard isTLSRefusal(error) else { return "the TLS connection with \(host) failed: " + shortened(text) }
        if text.contains("WRONG_VERSION_NUMBER") {
            return "\(host) does not speak TLS (an https:// URL for a plain http:// server?)"
        }
        if let problem = Clients.trust.problem { return "the TLS certificate of \(host) is not trusted: \(problem)" }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the TLS certificate of \(host) is not trusted: "
                + (Clients.trust.file.map { "it is signed neither by a system CA nor by a certificate in SSL_CERT_FILE \($0)" }
                    ?? "for a private CA or a self-signed certificate, name its PEM file in SSL_CERT_FILE")
        }
        if let e = error as? NIOSSLExtraError, e == .failedToValidateHostname {
            return "the TLS certificate of \(host) is for another name"
        }
        return "the TLS handshake with \(host) failed: " + shortened(text)
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
///
/// `SSL_CERT_FILE`, as OpenSSL and curl read it, names PEM certificates an https server's
/// certificate may also be signed by, besides the system's (a private CA, a self-signed proxy).
enum Clients {
    static let connectSeconds: Int64 = 3

    static func configuration() -> HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.timeout = .init(connect: .seconds(connectSeconds), read: .seconds(10))
        c.connectionPool.retryConnectionEstablishment = false
        if trust.file != nil {
            var tls = TLSConfiguration.makeClientConfiguration()
            // Beside the system's (a public https URL still works), or in place of them when
            // the file cannot be read: it trusts nothing then, and says why.
            if trust.problem == nil {
                tls.additionalTrustRoots = [.certificates(trust.certificates)]
            } else {
                tls.trustRoots = .certificates([])
            }
            c.tlsConfiguration = tls
        }
        return c
    }

    /// The certificates `SSL_CERT_FILE` names, read once; `problem` says why a file named cannot
    /// be used (said when a server's certificate is refused).
    static let trust: (certificates: [NIOSSLCertificate], file: String?, problem: String?) = {
        guard let path = ProcessInfo.processInfo.environment["SSL_CERT_FILE"], !path.isEmpty else { return ([], nil, nil) }
        guard FileManager.default.isReadableFile(atPath: path) else { return ([], path, "SSL_CERT_FILE \(path) cannot be read") }
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            return ([], path, "SSL_CERT_FILE \(path) holds no PEM certificate")
        }
        return (certificates, path, nil)
    }()

    /// For checks of recording URLs: lives as long as the program (like `HTTPClient.shared`).
    static let oneShot = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration())
}
