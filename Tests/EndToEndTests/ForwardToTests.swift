import AsyncHTTPClient
import CallDashCore
import Foundation
import LoopbackSockets
import NIOCore
import Testing

@Suite("serve --forward-to")
struct ForwardToTests {
    @Test(
        "a delivery is forwarded to the app and the record says what the app answered, also after a restart; the app going down is tried again and named"
    )
    func forwardedAcrossRestart() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let a = try #require(await app.listeningPort())
        let serveArgs = [
            "serve", "--port", "0", "--journal", dir + "/journal.jsonl", "--forward-to", "http://127.0.0.1:\(a)/app",
            "--forward-attempts", "2", "--forward-timeout", "10"
        ]
        var port = 0
        do {
            let serve = try CalldashProcess(serveArgs)
            port = try #require(await serve.listeningPort())
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ack?campaign=7")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"status":"BUSY","mid":"m-1"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 200)
            #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 1 })
            #expect(journaled(dir + "/app.jsonl").first?.path == "/app/ack")
            var forwarded = false
            for _ in 0..<300 where !forwarded {
                forwarded = try await get("http://127.0.0.1:\(port)/_calldash/reports/1").contains(#""delivered":true"#)
                if !forwarded { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(forwarded)
            serve.signal(SIGTERM)
            #expect(await serve.exitCode() == 0)
        }
        // The app goes away; the restarted receiver still knows the first call's forward, and
        // tries the next one twice.
        app.signal(SIGTERM)
        _ = await app.exitCode()
        // Held (bound, not listening) so that no other test's listener is given it meanwhile.
        let gone = try #require(holdPort(a), "the app's port is free once it exited")
        defer { close(gone) }
        let serve = try CalldashProcess(serveArgs)
        port = try #require(await serve.listeningPort())
        let first = try DeliveryRecord(json: Array(try await get("http://127.0.0.1:\(port)/_calldash/reports/1").utf8))
        #expect(
            first.forward?.delivered == true && first.forward?.status == 200
                && first.forward?.url == "http://127.0.0.1:\(a)/app/ack?campaign=7")
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ack")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: #"{"status":"ANSWER","mid":"m-2"}"#))
        #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code == 200)
        var second: DeliveryRecord?
        for _ in 0..<400 where second?.forward?.attempt != 2 {
            second = try? DeliveryRecord(json: Array(try await get("http://127.0.0.1:\(port)/_calldash/reports/2").utf8))
            if second?.forward?.attempt != 2 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(second?.forward?.delivered == false && second?.forward?.status == nil)
        #expect(second?.forward?.error?.contains("connection refused by 127.0.0.1:\(a)") == true, "\(second?.forward?.error ?? "")")
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
        let lines = try String(contentsOfFile: dir + "/journal.jsonl", encoding: .utf8).split(separator: "\n")
        // Forwarding runs at the lowest priority: on a loaded machine the first call may take two attempts.
        let attempts = lines.filter { $0.hasPrefix(#"{"forward_of":"#) }
        #expect(
            attempts.filter { $0.hasPrefix(#"{"forward_of":1,"#) }.count == first.forward?.attempt
                && attempts.filter { $0.hasPrefix(#"{"forward_of":2,"#) }.count == 2,
            "one line per attempt: \(attempts)")
    }

    @Test("deliveries the app has not taken when serve stops are forwarded first when it starts again")
    func pendingAcrossRestart() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let a = try #require(await app.listeningPort())
        // While the app's address refuses connections, every delivery waits between attempts.
        let refusing = try #require(boundLoopbackSocket())
        defer { close(refusing.fd) }
        let journal = ["--journal", dir + "/journal.jsonl"]
        let first = try CalldashProcess(
            ["serve", "--port", "0", "--forward-to", "http://127.0.0.1:\(refusing.port)", "--forward-attempts", "9"] + journal)
        let port = try #require(await first.listeningPort())
        for n in 1...3 {
            #expect(try await post(port, #"{"status":"BUSY","mid":"m-\#(n)"}"#, path: "/ack?n=\(n)") == 200)
        }
        first.signal(SIGTERM)
        #expect(await first.exitCode() == 0)
        #expect(first.stderr.contains("stopping with 3 deliveries not yet taken"), "\(first.stderr)")
        let serve = try CalldashProcess(["serve", "--port", "0", "--forward-to", "http://127.0.0.1:\(a)"] + journal)
        let again = try #require(await serve.listeningPort())
        // Forwarding runs at the lowest priority: on a loaded machine an attempt may time out and be made again.
        #expect(await serve.wait(seconds: 60) { _ in journaled(dir + "/app.jsonl").count >= 3 }, "\(serve.stderr)")
        #expect(Set(journaled(dir + "/app.jsonl").map { $0.query.first?.value }) == ["1", "2", "3"])
        #expect(journaled(dir + "/app.jsonl").allSatisfy { $0.path == "/ack" })
        #expect(serve.stderr.contains("forwarding first the 3 deliveries (seq 1–3) calldash stopped before forwarding"), "\(serve.stderr)")
        var taken = false
        for _ in 0..<1200 where !taken {
            taken = true
            for seq in 1...3 where taken {
                taken = try await get("http://127.0.0.1:\(again)/_calldash/reports/\(seq)").contains(#""delivered":true"#)
            }
            if !taken { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(taken, "all three taken by the app")
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
        #expect(!serve.stderr.contains("not yet taken"), "\(serve.stderr)")
        app.signal(SIGTERM)
        _ = await app.exitCode()
    }

    @Test(
        "replay --not-forwarded sends only the deliveries the app did not take (given up on, left by a full queue), from the journal or a receiver"
    )
    func replayNotForwarded() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/journal.jsonl"
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let a = try #require(await app.listeningPort())
        var serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        var port = try #require(await serve.listeningPort())
        for n in 1...5 {
            #expect(try await post(port, #"{"status":"BUSY","mid":"m-\#(n)"}"#, path: "/ack?n=\(n)") == 200)
        }
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
        // What a run with --forward-to journaled: 1 taken, 2 given up on, 3 and 4 left by a full queue; 5 never forwarded.
        let at = #""at":"2026-12-03T10:00:00.000Z","url":"http://127.0.0.1:3000/ack""#
        let lines = [
            #"{"forward_of":1,\#(at),"attempt":1,"status":200,"ms":2,"error":null,"delivered":true,"reply":""}"#,
            #"{"forward_of":2,\#(at),"attempt":3,"status":500,"ms":2,"error":"the app answered 500","delivered":false,"reply":""}"#,
            #"{"forward_of":3,"through":4,\#(at),"attempt":0,"status":null,"ms":0,"error":"the forward queue was full (5 deliveries waited for the app)","delivered":false,"reply":""}"#
        ]
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let fromJournal = try await runCalldash(["replay", "--to", "http://127.0.0.1:\(a)", "--journal", journal, "--not-forwarded"])
        #expect(fromJournal.code == 0, "\(fromJournal.stderr)")
        #expect(fromJournal.stdout.contains("sent 3, delivered 3"), "\(fromJournal.stdout)")
        #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 3 })
        #expect(journaled(dir + "/app.jsonl").map { $0.query.first?.value } == ["2", "3", "4"])
        serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        port = try #require(await serve.listeningPort())
        let fromReceiver = try await runCalldash([
            "replay", "--to", "http://127.0.0.1:\(a)", "--from", "http://127.0.0.1:\(port)", "--not-forwarded", "--limit", "2"
        ])
        #expect(fromReceiver.code == 0, "\(fromReceiver.stderr)")
        #expect(await app.wait { _ in journaled(dir + "/app.jsonl").count == 5 })
        #expect(journaled(dir + "/app.jsonl").suffix(2).map { $0.query.first?.value } == ["2", "3"], "the limit counts chosen ones")
        let none = try await runCalldash([
            "replay", "--to", "http://127.0.0.1:\(a)", "--journal", journal, "--not-forwarded", "--after", "4"
        ])
        #expect(none.code == 1 && none.stderr.contains("no stored delivery matches --after 4 --not-forwarded"), "\(none.stderr)")
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
        app.signal(SIGTERM)
        _ = await app.exitCode()
    }

    @Test("a --forward-to that is not http(s), or that is the receiver itself, is refused at start in one line")
    func refusedTargets() async throws {
        let bad = try await runCalldash(["serve", "--port", "0", "--no-journal", "--forward-to", "ftp://x/y"])
        #expect(bad.code == 64 && bad.stderr.contains("--forward-to ftp://x/y: not an http:// or https:// URL"), "\(bad.stderr)")
        let port = 40_000 + Int.random(in: 0..<20_000)
        let loop = try await runCalldash(["serve", "--port", String(port), "--no-journal", "--forward-to", "http://localhost:\(port)/x"])
        #expect(loop.code == 1, "\(loop.stderr)")
        #expect(loop.stderr.contains("is this receiver itself: every forwarded delivery would be forwarded again"), "\(loop.stderr)")
        #expect(loop.stderr.split(separator: "\n").count == 1, "\(loop.stderr)")
    }
}

@Suite("watch --remote")
struct WatchRemoteTests {
    @Test("following a serve through its restart: every call shown once, in order; the reconnection is said")
    func throughRestart() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = 20_000 + Int.random(in: 0..<20_000)
        let serveArgs = ["serve", "--port", String(port), "--journal", dir + "/journal.jsonl"]
        func post(_ n: Int) async throws {
            for i in 0..<n {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ack")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: #"{"status":"BUSY","mid":"m-\#(i)"}"#))
                #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code == 200)
            }
        }
        let first = try CalldashProcess(serveArgs)
        #expect(await first.listeningPort() == port)
        try await post(30)
        let watch = try CalldashProcess(["watch", "--remote", "http://127.0.0.1:\(port)", "--plain"])
        func shown() -> [Int] {
            watch.stdout.split(separator: "\n").compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("#") }.flatMap { Int($0.dropFirst()) }
            }
        }
        #expect(await watch.wait { _ in shown().count == 30 }, "\(watch.stdout)\n\(watch.stderr)")
        try await post(10)
        #expect(await watch.wait { _ in shown().count == 40 })
        first.signal(SIGTERM)
        #expect(await first.exitCode() == 0)
        #expect(await watch.wait { $0.stderr.contains("reconnecting in") }, "\(watch.stderr)")
        let second = try CalldashProcess(serveArgs)
        #expect(await second.listeningPort() == port)
        try await post(10)
        #expect(await watch.wait(seconds: 40) { _ in shown().count == 50 }, "\(watch.stderr)")
        #expect(shown() == Array(1...50), "none missed, none twice")
        // The calls sent meanwhile are paged before the stream is open again: "connected" can come after them.
        #expect(
            await watch.wait { $0.stderr.components(separatedBy: "connected").count >= 3 },
            "connected, then connected again: \(watch.stderr)")
        watch.signal(SIGTERM)
        #expect(await watch.exitCode() == 0)
        second.signal(SIGTERM)
        _ = await second.exitCode()
    }

    @Test(
        "watch --remote https:// follows a serve behind a TLS proxy whose certificate SSL_CERT_FILE names; without it, one line says the certificate is not trusted, and it exits 1"
    )
    func overTLS() async throws {
        let token = "t0ken-over-tls"
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--token", token])
        let port = try #require(await serve.listeningPort())
        let proxy = try TLSProxy(to: port)
        defer { proxy.stop() }
        func post(_ mid: String) async throws {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ack")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(string: #"{"status":"BUSY","mid":"\#(mid)"}"#))
            #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code == 200)
        }
        try await post("before")
        let remote = "https://127.0.0.1:\(proxy.port)"
        let trusted = ["SSL_CERT_FILE": TLSProxy.certificateFile, "CALLDASH_TOKEN": token]
        let watch = try CalldashProcess(["watch", "--remote", remote, "--plain"], environment: trusted)
        #expect(await watch.wait { $0.stdout.contains("#1 ") }, "paged through the proxy: \(watch.stdout)\n\(watch.stderr)")
        #expect(await watch.wait { $0.stderr.contains("connected") }, "\(watch.stderr)")
        try await post("after")
        #expect(await watch.wait { $0.stdout.contains("#2 ") }, "streamed through the proxy: \(watch.stdout)")
        watch.signal(SIGTERM)
        #expect(await watch.exitCode() == 0)
        let stats = try CalldashProcess(["stats", "--from", remote, "--json"], environment: trusted)
        #expect(await stats.exitCode() == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains(#""calls":2"#), "\(stats.stdout)")
        let untrusted = try CalldashProcess(
            ["watch", "--remote", remote, "--plain"], environment: ["CALLDASH_TOKEN": token, "SSL_CERT_FILE": ""])
        #expect(await untrusted.exitCode(seconds: 30) == 1, "\(untrusted.stderr)")
        let said = untrusted.stderr.components(separatedBy: "the TLS certificate of 127.0.0.1:\(proxy.port) is not trusted").count - 1
        #expect(said == 1 && untrusted.stderr.contains("SSL_CERT_FILE"), "once, with what to do: \(untrusted.stderr)")
        let plain = try CalldashProcess(["stats", "--from", "https://127.0.0.1:\(port)"], environment: trusted)
        #expect(await plain.exitCode() == 1)
        #expect(
            plain.stderr.contains("127.0.0.1:\(port) does not speak TLS (an https:// URL for a plain http:// server?)"), "\(plain.stderr)")
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
    }

    @Test("watch --remote --plain with a refused token exits 1, saying so once")
    func refusedTokenExits() async throws {
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--token", "t0k"])
        let port = try #require(await serve.listeningPort())
        let r = try await runCalldash(["watch", "--remote", "http://127.0.0.1:\(port)", "--token", "wrong", "--plain"], seconds: 30)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "refused the token (401)").count == 2, "said once: \(r.stderr)")
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
    }

    @Test("options that need a receiver here are refused with --remote, in one line, also when given their default value")
    func localOptionsRefused() async throws {
        let r = try await runCalldash(["watch", "--remote", "http://127.0.0.1:9", "--journal", "/tmp/x.jsonl", "--plain"])
        #expect(
            r.code == 64
                && r.stderr.contains("--journal is for a receiver here; with --remote the receiver is the one at http://127.0.0.1:9"))
        // Given with its default value, an option for a receiver here is refused all the same.
        let port = try await runCalldash(["watch", "--remote", "http://127.0.0.1:9", "--port", "8080", "--plain"])
        #expect(port.code == 64 && port.stderr.contains("--port is for a receiver here"), "\(port.stderr)")
        let bad = try await runCalldash(["watch", "--remote", "ftp://x", "--plain"])
        #expect(bad.code == 64 && bad.stderr.contains("--remote ftp://x: not an http:// or https:// URL"), "\(bad.stderr)")
    }
}
