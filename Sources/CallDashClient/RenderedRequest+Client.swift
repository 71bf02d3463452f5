import AsyncHTTPClient
import CallDashCore
import NIOCore
import NIOHTTP1

extension RenderedRequest {
    /// The request as AsyncHTTPClient sends it: the rendered method, headers and body, to the
    /// rendered URL, or to `base`'s scheme, host and port with the rendered path and query.
    func clientRequest(to base: String? = nil) throws(PushError) -> HTTPClientRequest {
        if let unsendable { throw PushError(unsendable) }
        guard let target = Self.target(of: url) else {
            throw PushError("render: \"\(maskedURL)\": \(Self.urlProblem(url) ?? "not an absolute http(s) URL")")
        }
        var destination = url
        if let base {
            guard let to = Self.target(of: base) else {
                throw PushError("\"\(base)\": \(Self.urlProblem(base) ?? "not an absolute http(s) URL")")
            }
            destination = "\(to.scheme)://\(to.authority)\(target.origin)"
        }
        var request = HTTPClientRequest(url: destination)
        request.method = HTTPMethod(rawValue: method)
        for h in headers { request.headers.add(name: h.name, value: h.value) }
        if !request.headers.contains(name: "user-agent") { request.headers.add(name: "user-agent", value: "calldash") }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }
}
