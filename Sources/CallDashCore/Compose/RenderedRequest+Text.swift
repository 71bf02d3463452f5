/// The printed forms of a rendered request: raw HTTP/1.1 as it goes on the wire, or a curl
/// command that, pasted into a shell, sends the same request.
extension RenderedRequest {
    /// Scheme, authority and origin-form target of an absolute http(s) URL.
    public struct Target: Equatable, Sendable {
        public var scheme: String
        /// host[:port], as the Host header carries it.
        public var authority: String
        /// Path and query ("/" when the URL has no path).
        public var origin: String
    }

    /// Splits the rendered URL; nil when it is not an absolute http or https URL with a host and,
    /// if it gives one, a port from 1 to 65535 (an HTTP client traps on a larger one).
    public static func target(of url: String) -> Target? {
        guard urlProblem(url) == nil, let sep = url.range(of: "://") else { return nil }
        let scheme = url[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[sep.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<end])
        guard !authority.isEmpty else { return nil }
        var origin = String(rest[end...])
        if let hash = origin.firstIndex(of: "#") { origin = String(origin[..<hash]) }
        if !origin.hasPrefix("/") { origin = "/" + origin }
        return Target(scheme: scheme, authority: authority, origin: origin)
    }

    /// Why `url` cannot be sent to, in a few words; nil when it can.
    public static func urlProblem(_ url: String) -> String? {
        guard let sep = url.range(of: "://"), ["http", "https"].contains(url[..<sep.lowerBound].lowercased()) else {
            return "not an http:// or https:// URL"
        }
        let rest = url[sep.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        var host = hostPort
        var port: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return "an IPv6 address without its closing ]" }
            host = hostPort[...close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "something after the IPv6 address that is not a port" }
                port = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            port = hostPort[hostPort.index(after: colon)...]
        }
        if host.isEmpty || host == "[]" { return "no host" }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(port),
                (1...65535).contains(n)
            else { return "port \(port.isEmpty ? "(empty)" : String(port.prefix(12))) is not a port (1 to 65535)" }
        }
        return nil
    }

    /// The request as raw HTTP/1.1 bytes: request line, Host, the headers, Content-Length, body.
    /// Secrets are masked unless `reveal`.
    public func http(reveal: Bool) -> [UInt8]? {
        guard let t = Self.target(of: reveal ? url : maskedURL) else { return nil }
        let body = reveal ? body : maskedBody
        var head = "\(method) \(t.origin) HTTP/1.1\r\nHost: \(t.authority)\r\n"
        for h in reveal ? headers : maskedHeaders { head += "\(h.name): \(h.value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// A curl command sending the same method, URL, headers and body (single-quoted for sh).
    public func curl(reveal: Bool) -> String {
        func q(_ s: String) -> String { "'" + s.replacingAll("'", with: "'\\''") + "'" }
        var parts = ["curl", "-X", method, q(reveal ? url : maskedURL)]
        for h in reveal ? headers : maskedHeaders { parts += ["-H", q("\(h.name): \(h.value)")] }
        let body = reveal ? body : maskedBody
        if !body.isEmpty { parts += ["--data-binary", q(String(decoding: body, as: UTF8.self))] }
        return parts.joined(separator: " ")
    }
}
