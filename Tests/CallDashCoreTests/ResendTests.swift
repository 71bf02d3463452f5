import Testing

@testable import CallDashCore

@Suite("A stored delivery sent on again")
struct ResendTests {
    func record(headers: [NameValue], remote: String = "10.0.0.7:51234", path: String = "/ack/receive", query: [NameValue] = [])
        -> DeliveryRecord
    {
        var r = sampleRecord()
        r.headers = headers
        r.remote = remote
        r.path = path
        r.query = query
        r.seq = 41
        return r
    }

    @Test("the app's scheme, host and port; its path, then the delivery's path and query; the same method and bytes")
    func pathRule() throws {
        let r = record(headers: [], query: [NameValue("campaign", "7"), NameValue("note", "a b&c")])
        let sent = try #require(Resend(r, to: "https://app.local:8443/hooks/?ignored=1", replayOf: 41))
        #expect(sent.request.url == "https://app.local:8443/hooks/ack/receive?campaign=7&note=a%20b%26c")
        #expect(sent.request.method == "POST" && sent.request.body == r.raw)
        #expect(
            try #require(Resend(r, to: "http://127.0.0.1:3000", replayOf: nil)).request.url
                == "http://127.0.0.1:3000/ack/receive?campaign=7&note=a%20b%26c")
        #expect(Resend(r, to: "ftp://app", replayOf: nil) == nil)
        #expect(Resend(r, to: "http://127.0.0.1:99999", replayOf: nil) == nil, "a port the client would trap on")
    }

    @Test(
        "hop-by-hop headers, Host and a masked Authorization stay behind; X-Forwarded-For and CallDash-Replay-Of are added; --header replaces"
    )
    func headers() throws {
        let r = record(headers: [
            NameValue("Host", "provider.example"), NameValue("Connection", "keep-alive, X-Hop"), NameValue("X-Hop", "1"),
            NameValue("Transfer-Encoding", "chunked"), NameValue("Content-Length", "99"), NameValue("Authorization", "Bearer ***"),
            NameValue("X-Forwarded-For", "203.0.113.9"), NameValue("User-Agent", "provider/1"), NameValue("X-Env", "prod"),
            NameValue("CallDash-Replay-Of", "7")
        ])
        let sent = try #require(Resend(r, to: "http://app", replayOf: 41, extra: [NameValue("X-Env", "test")]))
        #expect(
            sent.request.headers == [
                NameValue("User-Agent", "provider/1"), NameValue("X-Forwarded-For", "203.0.113.9, 10.0.0.7"),
                NameValue("CallDash-Replay-Of", "41"),
                NameValue("X-Env", "test")
            ])
        #expect(sent.maskedAuthorizationLeftOut)
        let withAuth = try #require(Resend(r, to: "http://app", replayOf: nil, extra: [NameValue("authorization", "Bearer mine")]))
        #expect(!withAuth.maskedAuthorizationLeftOut && withAuth.request.headers.last == NameValue("authorization", "Bearer mine"))
        let v6 = try #require(Resend(record(headers: [], remote: "[::1]:5000"), to: "http://app", replayOf: nil))
        #expect(v6.request.headers == [NameValue("X-Forwarded-For", "::1")])
    }

    @Test("a body cut when it arrived (413) or not kept (a request without the token) is known as such")
    func cutBodies() throws {
        var big = record(headers: [])
        big.responseCode = 413
        #expect(try #require(Resend(big, to: "http://app", replayOf: nil)).kept == .firstPart)
        var unauthenticated = record(headers: [])
        (unauthenticated.responseCode, unauthenticated.raw) = (401, [])
        unauthenticated.error = "no token (Authorization: Bearer …) (120-byte body not kept)"
        #expect(try #require(Resend(unauthenticated, to: "http://app", replayOf: nil)).kept == .nothing)
        #expect(try #require(Resend(record(headers: []), to: "http://app", replayOf: nil)).kept == .whole)
    }
}
