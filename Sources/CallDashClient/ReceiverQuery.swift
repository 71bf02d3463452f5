import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore

/// Asks a running receiver's API (`/_calldash/…`) for one JSON answer, with its token.
public enum ReceiverQuery {
    /// The answer's body; a refused or failed request is one line in plain words.
    public static func get(_ base: String, path: String, query: [(name: String, value: String)], token: String?)
        async throws(ReceiverQueryFailure)
        -> [UInt8]
    {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        let encoded = query.map {
            TemplateContext.percentEncoded($0.name, spaceAsPlus: false) + "=" + TemplateContext.percentEncoded($0.value, spaceAsPlus: false)
        }.joined(separator: "&")
        let url = root + path + (encoded.isEmpty ? "" : "?" + encoded)
        guard let target = RenderedRequest.target(of: url), ["http", "https"].contains(target.scheme) else {
            throw ReceiverQueryFailure(
                "--from must be a receiver's http:// or https:// URL, got '\(base)' (\(RenderedRequest.urlProblem(url) ?? "not usable"))")
        }
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let (code, body) = try await within(seconds: 60) { [request] in
                let response = try await Clients.oneShot.execute(request, timeout: .seconds(30))
                return (response.status.code, Array(try await response.body.collect(upTo: 64 << 20).readableBytesView))
            }
            switch code {
            case 200: return body
            case 401:
                throw ReceiverQueryFailure.tokenRefused(by: root, tokenGiven: token != nil)
            default:
                let reason = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["error"] as? String
                var failure = ReceiverQueryFailure("\(root) answered \(code)" + (reason.map { ": \($0)" } ?? ""))
                failure.refusedQuery = code == 400
                failure.status = Int(code)
                failure.reason = reason
                throw failure
            }
        } catch let failure as ReceiverQueryFailure {
            throw failure
        } catch let late as AnswerTimedOut {
            throw ReceiverQueryFailure("cannot ask \(root): \(late.description)")
        } catch is NIOTooManyBytesError {
            throw ReceiverQueryFailure("cannot ask \(root): its answer is larger than 64 MiB (is it a calldash receiver?)")
        } catch {
            var failure = ReceiverQueryFailure("cannot ask \(root): \(TransportFailure.describe(error, url: url))")
            failure.tlsRefused = TransportFailure.isTLSRefusal(error)
            throw failure
        }
    }
}

public struct ReceiverQueryFailure: Error, CustomStringConvertible {
    /// A receiver's 401, worded by whether a token was given.
    static func tokenRefused(by root: String, tokenGiven: Bool) -> ReceiverQueryFailure {
        var failure = ReceiverQueryFailure(
            tokenGiven
                ? "\(root) refused the token (401): give the receiver's with --token or CALLDASH_TOKEN"
                : "\(root) asks for a token (401): give the receiver's with --token or CALLDASH_TOKEN")
        failure.status = 401
        return failure
    }

    public var description: String
    /// The receiver refused the parameters (400): the user's input, not the network.
    public var refusedQuery = false
    /// The receiver's answer when it answered something else than 200, and its reason.
    public var status: Int?
    public var reason: String?
    /// The server's TLS certificate was refused: asking again will not help.
    public var tlsRefused = false
    init(_ d: String) { description = d }
}
