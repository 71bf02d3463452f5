import AsyncHTTPClient
import CallDashCore
import NIOCore
import NIOHTTP1

/// Checks that a recording URL answers: a HEAD request with bounded connect and total time.
public enum URLChecker {
    public static func check(_ url: String, timeout: TimeAmount = .seconds(10)) async -> URLCheck {
        let start = NIODeadline.now()
        func elapsed() -> Int { Int((NIODeadline.now() - start).nanoseconds / 1_000_000) }
        // A peer's URL: one the client cannot take (port 99999) is answered here, not trapped on.
        if ["http://", "https://"].contains(where: { url.lowercased().hasPrefix($0) }), let problem = RenderedRequest.urlProblem(url) {
            return URLCheck(millis: 0, failure: "not checked: \(problem)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        do {
            let response = try await Clients.oneShot.execute(request, timeout: timeout)
            return URLCheck(
                status: Int(response.status.code), reason: response.status.reasonPhrase,
                contentType: response.headers.first(name: "content-type"),
                contentLength: response.headers.first(name: "content-length").flatMap { Int($0) }, millis: elapsed())
        } catch {
            return URLCheck(millis: elapsed(), failure: TransportFailure.describe(error, url: url))
        }
    }
}
