import Foundation

/// A stored delivery sent on again, to the user's own app (`replay`), as ngrok forwards: the
/// app URL's scheme, host and port; its path followed by the delivery's path, and the
/// delivery's query; the same method and raw body bytes; the headers as they arrived except
/// hop-by-hop ones, `Host` (the app's) and a masked `Authorization`; plus `X-Forwarded-For`.
public struct Resend: Sendable, Equatable {
    public var request: RenderedRequest
    /// The delivery's `Authorization` was masked when it was recorded: it is not sent (the
    /// user may add one with `--header`).
    public var maskedAuthorizationLeftOut: Bool
    /// How much of the provider's body the receiver kept.
    public var kept: KeptBody

    /// Why the record cannot be sent as a request at all (a journal or a receiver's answer is
    /// bytes from outside: a method with a line break would write headers of its own).
    public var unsendable: String?

    public enum KeptBody: Sendable, Equatable {
        case whole
        /// Over the size limit: the first 64 KiB.
        case firstPart
        /// It came without the token: headers and size only.
        case nothing
    }

    /// The header a replay carries, in lower case: the seq of the delivery it replays.
    public static let replayOfHeader = "calldash-replay-of"

    /// The seq a delivery says it replays, when it is one.
    public static func replayOf(_ r: DeliveryRecord) -> UInt64? {
        r.headers.first { $0.name.lowercased() == replayOfHeader }.flatMap { UInt64($0.value.trimmingCharacters(in: .whitespaces)) }
    }

    /// Headers the client sets itself for the new request: neither the delivery's nor `--header`'s.
    static let clientSets: Set<String> = ["host", "content-length", "transfer-encoding", "expect"]

    /// Those, and headers that belong to one connection, not to the request (RFC 9110 §7.6.1).
    static let leftOut: Set<String> = clientSets.union([
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "upgrade"
    ])

    /// `record` as sent to `app` (an absolute http(s) URL); nil when `app` is not one.
    /// `replayOf` adds `CallDash-Replay-Of`; `extra` headers replace any of the same name.
    public init?(_ record: DeliveryRecord, to app: String, replayOf: UInt64?, extra given: [NameValue] = []) {
        guard let target = RenderedRequest.target(of: app), !app.contains("#") else { return nil }
        let extra = given.filter { !Self.clientSets.contains($0.name.lowercased()) }
        var base = String(target.origin.splitAtQuery().beforeQuery)
        while base.hasSuffix("/") { base.removeLast() }
        var path = base + (record.path.hasPrefix("/") ? record.path : "/" + record.path)
        if !record.query.isEmpty, !record.path.contains("?") {
            path +=
                "?"
                + record.query.map {
                    TemplateContext.percentEncoded($0.name, spaceAsPlus: false) + "="
                        + TemplateContext.percentEncoded($0.value, spaceAsPlus: false)
                }.joined(separator: "&")
        }
        // Names listed in Connection are hop-by-hop too.
        let listed = Set(
            record.headers.filter { $0.name.lowercased() == "connection" }
                .flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } })
        var headers: [NameValue] = []
        var forwardedFor: String?
        var masked = false
        let extraNames = Set(extra.map { $0.name.lowercased() })
        for h in record.headers {
            let name = h.name.lowercased()
            // A replay of a replay names the one it replays now.
            if Self.leftOut.contains(name) || listed.contains(name) || extraNames.contains(name) || name == Self.replayOfHeader {
                continue
            }
            if name == "authorization", h.value.contains(SecretRedactor.mask) {
                masked = true
                continue
            }
            if name == "x-forwarded-for" {
                forwardedFor = h.value
                continue
            }
            headers.append(h)
        }
        let client = Self.host(of: record.remote)
        if !client.isEmpty, !extraNames.contains("x-forwarded-for") {
            headers.append(NameValue("X-Forwarded-For", forwardedFor.map { "\($0), \(client)" } ?? client))
        }
        if let replayOf, !extraNames.contains(Self.replayOfHeader) { headers.append(NameValue("CallDash-Replay-Of", String(replayOf))) }
        headers += extra
        let url = "\(target.scheme)://\(target.authority)\(path)"
        request = RenderedRequest(
            method: record.method, url: url, headers: headers, body: record.raw, maskedURL: url, maskedHeaders: headers,
            maskedBody: record.raw, emptyVariables: [])
        maskedAuthorizationLeftOut = masked && !extraNames.contains("authorization")
        kept = Self.kept(record)
        unsendable = Self.problem(record)
    }

    /// RFC 9110 token characters: what a method may be made of.
    public static func isToken(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || "!#$%&'*+-.^_`|~".utf8.contains(b)
            }
    }

    private static func problem(_ r: DeliveryRecord) -> String? {
        guard isToken(r.method) else { return "its method is not an HTTP method" }
        // The client decodes the path to send it: one whose escapes are not UTF-8 would go to "/".
        guard r.path.removingPercentEncoding != nil || !r.path.contains("%") else {
            return "its path's %-escapes are not UTF-8, which the HTTP client cannot send"
        }
        return nil
    }

    /// How much of the body the receiver kept: an oversize body (413) keeps its first 64 KiB,
    /// a request without the token (401) its headers and size only.
    static func kept(_ r: DeliveryRecord) -> KeptBody {
        if r.responseCode == 413 { return .firstPart }
        if r.responseCode == 401, r.raw.isEmpty, r.error?.hasSuffix("body not kept)") == true { return .nothing }
        return .whole
    }

    /// The client's address without its port: "10.0.0.7" of "10.0.0.7:51234", "::1" of "[::1]:5000".
    static func host(of remote: String) -> String {
        if remote.hasPrefix("["), let end = remote.firstIndex(of: "]") {
            return String(remote[remote.index(after: remote.startIndex)..<end])
        }
        guard let colon = remote.lastIndex(of: ":"), remote.firstIndex(of: ":") == colon else { return remote }
        return String(remote[..<colon])
    }
}
