import AsyncHTTPClient
import Foundation
import LoopbackSockets
import NIOCore
import Testing

@testable import CallDashClient
@testable import CallDashCore
@testable import CallDashReceiver

/// A server on 127.0.0.1 that answers 200 with a 100,000-byte body and then sends it one byte
/// every 100 ms (for at most 120 s, or until the client goes): its port.
private func tricklingServer() throws -> Int {
    guard let (fd, port) = boundLoopbackSocket() else { throw POSIXError(.EADDRINUSE) }
    listen(fd, 4)
    Thread.detachNewThread {
        let c = accept(fd, nil, nil)
        defer {
            close(c)
            close(fd)
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = read(c, &buffer, buffer.count)
        let head = Array("HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n".utf8)
        _ = head.withUnsafeBytes { write(c, $0.baseAddress, head.count) }
        for _ in 0..<1_200 {
            var b: UInt8 = 0x61
            guard write(c, &b, 1) == 1 else { return }
            usleep(100_000)
        }
    }
    return port
}

@Suite("Network verdicts are fast and in plain words")
struct NetworkVerdictTests {
    @Test("a refused connection is reported at once, naming where, not after the timeout")
    func refusedAtOnce() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let check = await URLChecker.check("http://127.0.0.1:\(port)/x.mp3")
        #expect(check.status == nil)
        #expect(check.failure == "connection refused by 127.0.0.1:\(port)")
        let webhook = Webhook(
            id: 1, name: "t", method: .post, format: .json, url: "http://127.0.0.1:\(port)/hook", body: [NameValue("to", "{{to}}")])
        let rendered = try! webhook.render(.sample, secrets: SecretSource(environment: [:]))
        let pusher = Pusher()
        let verdict = await pusher.sendOnce(rendered)
        await pusher.shutdown()
        #expect(verdict.failure == "connection refused by 127.0.0.1:\(port)")
    }

    /// How long the program's clients take to give up on `url`, timed on the event loop alone
    /// (a blocking wait, so that tests busy elsewhere in the process cannot stretch it).
    private func secondsToFail(_ url: String) throws -> Double {
        let started = NIODeadline.now()
        let request = try HTTPClient.Request(url: url, method: .HEAD)
        #expect(throws: (any Error).self) { try Clients.oneShot.execute(request: request, deadline: .now() + .seconds(20)).wait() }
        return Double((NIODeadline.now() - started).nanoseconds) / 1e9
    }

    @Test("the clients fail at once on a refused connection or an unknown host instead of retrying until the timeout")
    func clientsFailFast() throws {
        #expect(Clients.configuration().connectionPool.retryConnectionEstablishment == false)
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let refused = try secondsToFail("http://127.0.0.1:\(refusing.port)/x.mp3")
        #expect(refused < 1, "a refused connection took \(refused) s")
        let unknown = try secondsToFail("http://no-such-host.invalid/x.mp3")
        #expect(unknown < 3, "an unknown host took \(unknown) s")
    }

    @Test("push to a refused port says where, in plain words")
    func pushRefused() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let pusher = Pusher()
        var plan = PushPlan(url: "http://127.0.0.1:\(refusing.port)/", count: 1)
        plan.attempts = 1
        let summary = await pusher.push(plan, source: .given([Array(seedReport.utf8)]))
        await pusher.shutdown()
        #expect(summary.failed == 1 && summary.failures.keys.first?.hasPrefix("connection refused by 127.0.0.1:") == true)
    }

    @Test("a server that answers 404 is reachable, with its status and reason, and the URL is not there")
    func notFoundIsReachable() async throws {
        try await TestReceiver.run { r async throws in
            let check = await URLChecker.check(r.base + "/_calldash/no-such-page")
            #expect(check.status == 404 && check.reason == "Not Found" && check.failure == nil)
            #expect(!check.reachable)
        }
    }

    @Test("text that is not a URL is called that, never a Swift type name")
    func notAURL() async {
        for text in ["not a url at all", "recordings.example.com/x.mp3"] {
            let check = await URLChecker.check(text)
            #expect(check.failure?.hasPrefix("not a URL") == true, "\(text): \(check.failure ?? "")")
            #expect(check.failure?.contains("HTTPClientError") == false)
        }
        let ftp = await URLChecker.check("ftp://example.com/x.mp3")
        #expect(ftp.failure?.hasPrefix("not an http:// or https:// URL") == true, "\(ftp.failure ?? "")")
    }

    @Test("an app that trickles its answer a byte at a time is given up on after the timeout, not waited for")
    func tricklingAnswer() async throws {
        let port = try tricklingServer()
        let pusher = Pusher()
        let url = "http://127.0.0.1:\(port)/app"
        let verdict = await pusher.sendOnce(
            RenderedRequest(
                method: "POST", url: url, headers: [], body: [], maskedURL: url, maskedHeaders: [], maskedBody: [], emptyVariables: []),
            timeout: .seconds(1))
        await pusher.shutdown()
        // Read to its end, the body would take two minutes and answer 200. On a loaded machine the
        // client's own deadline for the head may come first: either way the answer is given up on.
        #expect(verdict.status == nil, "\(verdict)")
        #expect(["the answer did not finish within 1 s", "no answer in time"].contains(verdict.failure ?? ""), "\(verdict)")
    }

    @Test("a recording URL with a port past 65535 (from a provider's report) is refused in words, not trapped on by the client")
    func portOutOfRange() async throws {
        for url in ["http://127.0.0.1:99999/x.mp3", "https://rec.example.com:65536/x.mp3", "http://[::1]:70000/x"] {
            let check = await URLChecker.check(url)
            #expect(
                check.failure?.hasPrefix("not checked: port ") == true && check.failure?.hasSuffix("is not a port (1 to 65535)") == true,
                "\(url): \(check.failure ?? "")")
        }
        let pusher = Pusher()
        let verdict = await pusher.sendOnce(
            RenderedRequest(
                method: "POST", url: "http://127.0.0.1:99999/a", headers: [], body: [], maskedURL: "http://127.0.0.1:99999/a",
                maskedHeaders: [], maskedBody: [], emptyVariables: []))
        await pusher.shutdown()
        #expect(
            verdict.status == nil && verdict.failure?.contains("port 99999 is not a port (1 to 65535)") == true, "\(verdict.failure ?? "")")
        #expect(RenderedRequest.urlProblem("http://127.0.0.1:8080/ok") == nil && RenderedRequest.urlProblem("http://[::1]:8080") == nil)
        #expect(RenderedRequest.urlProblem("http://user:pw@host:443/x") == nil && RenderedRequest.urlProblem("http://:80/") == "no host")
    }

    @Test("an unknown host is named")
    func unknownHost() async {
        let check = await URLChecker.check("http://no-such-host.invalid/x.mp3")
        #expect(check.failure == "unknown host no-such-host.invalid", "\(check.failure ?? "")")
    }
}
