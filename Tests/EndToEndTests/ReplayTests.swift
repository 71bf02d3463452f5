import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore
import Testing

/// POSTs `body` to `url` with `headers`, bounded in time; returns the status.
private func post(_ url: String, _ body: [UInt8], headers: [(String, String)]) async throws -> UInt {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    for (n, v) in headers { request.headers.add(name: n, value: v) }
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    _ = try await response.body.collect(upTo: 1 << 20)
    return response.status.code
}

/// The records a receiver journaled, decoded.
func journaled(_ path: String) -> [DeliveryRecord] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
        try? DeliveryRecord(json: Array($0.utf8))
    }
}

@Suite("calldash replay")
struct ReplayTests {
    @Test(
        "replay sends stored deliveries to the app as they arrived: path after the app's, query, headers, bytes, Replay-Of; no masked Authorization, no cut body"
    )
    func replayToTheApp() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let provider = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/provider.jsonl", "--token", "t0k3n"])
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let (p, a) = (try #require(await provider.listeningPort()), try #require(await app.listeningPort()))
        let headers = [("Content-Type", "application/json"), ("Authorization", "Bearer t0k3n"), ("X-Custom", "yes")]
        for (n, status) in ["ANSWER", "BUSY", "ANSWER"].enumerated() {
            let body = Array(#"{"status":"\#(status)","mid":"m-\#(n + 1)","note":"ünïcode"}"#.utf8)
            #expect(try await post("http://127.0.0.1:\(p)/ack/receive?campaign=7", body, headers: headers) == 200)
        }
        let big = Array(#"{"status":"ANSWER","pad":""#.utf8) + [UInt8](repeating: 0x61, count: 1_100_000) + Array(#""}"#.utf8)
        #expect(try await post("http://127.0.0.1:\(p)/ack/receive", big, headers: headers) == 413)
        let base = "http://127.0.0.1:\(p)"

        let answered = try await runCalldash([
            "replay", "--to", "http://127.0.0.1:\(a)/app/", "--from", base, "--token", "t0k3n", "--status", "answer"
        ])
        #expect(answered.code == 0, "\(answered.stderr)")
        #expect(answered.stdout.contains("sent 2, delivered 2, failed 0"), "the two answered calls: \(answered.stdout)")
        #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 2 })
        let got = journaled(dir + "/app.jsonl")
        let sent = journaled(dir + "/provider.jsonl")
        #expect(got.map(\.path) == ["/app/ack/receive", "/app/ack/receive"])
        #expect(got.first?.query == [NameValue("campaign", "7")])
        #expect(got.first?.raw == sent.first?.raw && got.first?.raw.isEmpty == false, "the same bytes")
        func header(_ r: DeliveryRecord?, _ name: String) -> String? { r?.headers.first { $0.name.lowercased() == name }?.value }
        #expect(got.map { header($0, "calldash-replay-of") } == ["1", "3"])
        #expect(header(got.first, "x-custom") == "yes" && header(got.first, "x-forwarded-for") == "127.0.0.1")
        #expect(header(got.first, "authorization") == nil)
        #expect(answered.stderr.contains("Authorization was masked when they were recorded, so none is sent; add one with --header"))

        // A delivery without the token kept its headers only: there is nothing to send.
        #expect(
            try await post(
                "http://127.0.0.1:\(p)/ack", Array(#"{"status":"ANSWER"}"#.utf8), headers: [("Content-Type", "application/json")]) == 401)
        let headersOnly = try await runCalldash([
            "replay", "--to", "http://127.0.0.1:\(a)", "--from", base, "--token", "t0k3n", "--seq", "5", "--allow-truncated"
        ])
        #expect(
            headersOnly.code == 1
                && headersOnly.stderr.contains("seq 5: not sent: it came without the token, so only its headers and size were kept"),
            "\(headersOnly.stderr)")
        // Replaying a replay names the one it replays now, once.
        let again = try await runCalldash(["replay", "--to", "http://127.0.0.1:\(a)/app", "--journal", dir + "/app.jsonl", "--seq", "1"])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 3 })
        #expect(journaled(dir + "/app.jsonl").last?.headers.filter { $0.name.lowercased() == "calldash-replay-of" }.map(\.value) == ["1"])

        provider.signal(SIGTERM)
        _ = await provider.exitCode()
        app.signal(SIGTERM)
        _ = await app.exitCode()
    }

    @Test("from a journal: a cut body is sent only with --allow-truncated, --header adds an Authorization, and nothing chosen exits 1")
    func replayFromJournal() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let provider = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/provider.jsonl"])
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let (p, a) = (try #require(await provider.listeningPort()), try #require(await app.listeningPort()))
        #expect(try await post("http://127.0.0.1:\(p)/a", Array(#"{"status":"ANSWER","mid":"x"}"#.utf8), headers: []) == 200)
        let big = [UInt8](repeating: 0x62, count: 1_100_000)
        #expect(try await post("http://127.0.0.1:\(p)/a", big, headers: [("Content-Type", "text/plain")]) == 413)
        provider.signal(SIGTERM)
        _ = await provider.exitCode()
        let journal = dir + "/provider.jsonl"
        let to = "http://127.0.0.1:\(a)"

        let cut = try await runCalldash(["replay", "--to", to, "--journal", journal, "--seq", "2", "--seq", "9"])
        #expect(cut.code == 1)
        #expect(
            cut.stderr.contains(
                "seq 2: not sent: the body was over the size limit and only its first 64 KiB were kept; --allow-truncated sends that part"),
            "\(cut.stderr)")
        #expect(cut.stderr.contains("seq 9: not sent: the journal \(journal) has no delivery with seq 9"))
        #expect(cut.stdout.isEmpty, "nothing was sent: the reasons are all there is to say")
        let allowed = try await runCalldash([
            "replay", "--to", to, "--journal", journal, "--all", "--allow-truncated", "--header", "Authorization: Bearer app",
            "--attempts", "1"
        ])
        // The app (a receiver too) refuses a text/plain body: the replay says so and exits 1.
        #expect(allowed.code == 1 && allowed.stdout.contains("sent 2, delivered 1, failed 1"), "\(allowed.stdout)")
        #expect(allowed.stderr.contains("seq 2: not delivered after 1 attempt(s), last answer 415"), "\(allowed.stderr)")
        #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 2 })
        let got = journaled(dir + "/app.jsonl")
        #expect(got.last?.raw.count == 64 << 10, "what was kept of the oversize body")
        #expect(got.first?.headers.first { $0.name == "Authorization" }?.value == "Bearer app")

        // Bytes from outside: a method with a line break would write headers of its own.
        let forged = dir + "/forged.jsonl"
        try
            (#"{"seq":1,"received_at":"2026-12-01T10:00:00.000Z","method":"POST\r\nX-Inj: 1\r\n","path":"/a","query":[],"headers":[],"remote":"1.2.3.4:5","content_type":null,"response_code":200,"outcome":"accepted","error":null,"fields":{},"extra":{},"raw":"{}","raw_encoding":"utf8","webhook":null}"#
            + "\n").write(toFile: forged, atomically: true, encoding: .utf8)
        let smuggled = try await runCalldash(["replay", "--to", to, "--journal", forged, "--all"])
        #expect(smuggled.code == 1 && smuggled.stderr.contains("seq 1: not sent: its method is not an HTTP method"), "\(smuggled.stderr)")
        let notReceiver = try await runCalldash(["replay", "--to", to, "--from", to + "/_calldash/health", "--all"])
        #expect(notReceiver.code == 1, "\(notReceiver.stderr)")

        let none = try await runCalldash(["replay", "--to", to, "--journal", journal, "--status", "NOSUCH"])
        #expect(none.code == 1 && none.stderr.contains("no stored delivery matches --status NOSUCH"), "\(none.stderr)")
        for (args, message) in [
            (["--to", "ftp://x", "--all"], "--to must be an http:// or https:// URL, got 'ftp://x'"),
            (["--to", to], "say which deliveries: --seq N, --status S, --q TEXT, --after SEQ, --not-forwarded or --all"),
            (["--to", to, "--seq", "1", "--all"], "--seq picks deliveries one by one"),
            (["--to", to, "--all", "--header", "no colon"], "--header must be 'Name: value' on one line, got 'no colon'"),
            (
                ["--to", to, "--all", "--header", "X-A: b\r\nX-Injected: 1"],
                "--header must be 'Name: value' on one line, got 'X-A: b\\r\\nX-Injected: 1'"
            )
        ] {
            let r = try await runCalldash(["replay"] + args)
            #expect(r.code != 0 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        app.signal(SIGTERM)
        _ = await app.exitCode()
    }
}
