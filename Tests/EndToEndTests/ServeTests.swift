import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@Suite("calldash serve and push, as built", .serialized)
struct ServeTests {
    @Test("serve listens on a free port, says so on stderr, and prints one JSON line per delivery on stdout")
    func serveReportsDeliveries() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/j.jsonl"])
        let port = try #require(await serve.listeningPort(), "stderr: \(serve.stderr)")
        let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack/receive", "--count", "5", "--json"])
        #expect(push.code == 0)
        #expect(push.stdout == "{\"sent\":5,\"delivered\":5,\"failed\":0,\"not_sent\":0,\"attempts\":5}\n")
        #expect(await serve.wait { $0.stdout.split(separator: "\n").count == 5 })
        let lines = serve.stdout.split(separator: "\n")
        for (i, line) in lines.enumerated() {
            #expect(line.hasPrefix("{\"seq\":\(i + 1),"))
            #expect(line.contains("\"outcome\":\"accepted\""))
        }
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
    }

    @Test("after kill -9 and a restart, every acknowledged delivery is still there and seq continues")
    func killNineLosesNothing() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/state/j.jsonl"
        let first = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        let port = try #require(await first.listeningPort())
        let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--count", "300", "--concurrency", "8", "--json"])
        #expect(push.stdout.contains("\"delivered\":300"))
        first.signal(SIGKILL)
        _ = await first.exitCode()

        let second = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        let port2 = try #require(await second.listeningPort())
        #expect(second.stderr.contains("replayed 300 deliveries"))
        let health = try await get("http://127.0.0.1:\(port2)/_calldash/health")
        #expect(health == #"{"status":"ok","received":300,"accepted":300,"rejected":0,"stored":300}"#)
        _ = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port2)/ack", "--count", "1"])
        #expect(await second.wait { $0.stdout.contains("{\"seq\":301,") })
        second.signal(SIGINT)
        #expect(await second.exitCode() == 0)
    }

    @Test("a torn last journal line is skipped with a warning and the receiver starts")
    func tornJournal() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/j.jsonl"
        let good =
            #"{"seq":7,"received_at":"2026-11-27T10:00:00.000Z","method":"POST","path":"/","query":[],"headers":[],"remote":"127.0.0.1:1","content_type":null,"response_code":200,"outcome":"accepted","error":null,"fields":{"status":"ANSWER"},"extra":{},"raw":"{}","raw_encoding":"utf8","webhook":null}"#
        try (good + "\n{\"seq\":8,\"recei").write(toFile: journal, atomically: true, encoding: .utf8)
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        #expect(await serve.listeningPort() != nil)
        #expect(serve.stderr.contains("skipped a torn last line"))
        _ = try await runCalldash(["push", "--to", "http://127.0.0.1:\(await serve.listeningPort()!)/a"])
        #expect(await serve.wait { $0.stdout.contains("{\"seq\":8,") })
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
    }

    @Test(
        "bad command-line input ends with one readable line and a non-zero exit",
        arguments: [
            (["serve", "--bogus"], "unknown option '--bogus' (--help lists the options)"),
            (["--lgo", "x"], "Did you mean '--log'?"),
            (["serve", "--port", "-1"], "--port must be from 0 to 65535"),
            (["watch", "--demo-rate", "-5"], "--demo-rate must be more than 0"),
            (["push", "--to", "http://127.0.0.1:9", "--count", "-3"], "--count must be at least 1"),
            (["help", "nosuch"], "no command named 'nosuch' (the commands are watch, serve, push, render, stats, replay)"),
            (["nosuch"], "calldash: unexpected argument 'nosuch' (the commands are watch, serve, push, render, stats, replay)"),
            (["serve", "--port", "70000"], "--port must be from 0 to 65535"),
            (["serve", "--respond", "99"], "--respond must be an HTTP status"),
            (["serve", "--journal", "/proc/calldash/j.jsonl"], "cannot create the folder for journal /proc/calldash/j.jsonl"),
            (["push", "--to", "ftp://x"], "--to must be an http:// or https:// URL"),
            (["push", "--to", "http://127.0.0.1:9", "--report", "/nonexistent.json"], "cannot read report file /nonexistent.json"),
            (["stats", "--since", "soon"], "--since: 'soon' is not a duration such as 15m"),
            (["stats", "--by", "colour"], "--by: 'colour' is not a field"),
            (["stats", "--journal", "/nonexistent/j.jsonl"], "no journal at /nonexistent/j.jsonl"),
            (["stats", "--json", "--csv"], "--json and --csv contradict each other"),
            (["stats", "--journal", "/dev/null", "--series", "1m", "--since", "30d"], "--series: 1m bars over this window would be"),
            (["stats", "--from", "http://127.0.0.1:9"], "cannot ask http://127.0.0.1:9: connection refused by 127.0.0.1:9")
        ])
    func badCommandLine(arguments: [String], message: String) async throws {
        let run = try await runCalldash(arguments)
        #expect(run.code != 0 && run.code != nil)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("calldash: ") == true)
        #expect(run.stderr.lowercased().contains(message.lowercased()), "\(run.stderr)")
    }

    @Test(
        "calldash stats reads the same figures from a journal (without touching it) and from the running receiver, as a table, JSON or CSV")
    func statsCommand() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/j.jsonl"
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        let port = try #require(await serve.listeningPort())
        let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/a", "--count", "40", "--seed", "7"])
        #expect(push.code == 0, "\(push.stderr)")
        let reports = dir + "/three.jsonl"
        try (1...3).map { #"{"status":"ANSWER","mid":"again-\#($0)","duration":"20","flow_id":9}"# }.joined(separator: "\n")
            .write(toFile: reports, atomically: true, encoding: .utf8)
        for _ in 0..<2 { _ = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/a", "--report", reports]) }
        #expect(await serve.wait { $0.stdout.contains("{\"seq\":46,") })
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))

        let fromFile = try await runCalldash(["stats", "--journal", journal, "--by", "status", "--json"])
        #expect(fromFile.code == 0, "\(fromFile.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(fromFile.stdout.utf8)) as? [String: Any])
        #expect(o["calls"] as? Int == 43 && o["duplicates"] as? Int == 3, "the second push of the file repeats its three reports")
        let remote = try await runCalldash(["stats", "--from", "http://127.0.0.1:\(port)", "--by", "status", "--json"])
        let r = try #require(try JSONSerialization.jsonObject(with: Data(remote.stdout.utf8)) as? [String: Any])
        for key in ["calls", "answered", "asr", "acd_s", "talk_s", "duplicates"] {
            #expect("\(o[key] ?? "")" == "\(r[key] ?? "")", "\(key) differs between the journal and the receiver")
        }
        #expect(o["statuses"] as? [String: Int] == r["statuses"] as? [String: Int])
        let table = try await runCalldash(["stats", "--journal", journal, "--by", "flow_id"])
        #expect(table.stdout.contains("calls       43, answered ") && table.stdout.contains("\nby flow_id\n"), "\(table.stdout)")
        // The receiver's rounded ratios are not rounded again: both tables print the same figures.
        let tableFrom = try await runCalldash(["stats", "--from", "http://127.0.0.1:\(port)", "--by", "flow_id"])
        func figures(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.hasPrefix("calls ") || $0.hasPrefix("short ") }
        }
        #expect(figures(table.stdout).count == 2 && figures(table.stdout) == figures(tableFrom.stdout), "\(tableFrom.stdout)")
        #expect(figures(table.stdout).allSatisfy { $0.contains(".") && $0.hasSuffix("%)") }, "percentages with one decimal")
        let csv = try await runCalldash(["stats", "--from", "http://127.0.0.1:\(port)", "--by", "status", "--csv"])
        #expect(csv.stdout.hasPrefix("by,value,calls,answered,asr,acd_s,"))
        #expect(csv.stdout.split(separator: "\r\n").dropFirst().first?.hasPrefix("all,,43,") == true, "the first row holds every call")
        let csvRows = csv.stdout.split(separator: "\r\n").dropFirst(2)
        #expect(csvRows.count == (o["statuses"] as? [String: Int])?.count && csvRows.allSatisfy { $0.hasPrefix("status,") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before, "reading statistics never writes the journal")
        serve.signal(SIGTERM)
        _ = await serve.exitCode()

        let guarded = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--token", "t0k"])
        let guardedPort = try #require(await guarded.listeningPort())
        let refused = try await runCalldash(["stats", "--from", "http://127.0.0.1:\(guardedPort)", "--token", "wrong"])
        #expect(refused.code == 1 && refused.stderr.contains("refused the token (401)"), "\(refused.stderr)")
        #expect(try await runCalldash(["stats", "--from", "http://127.0.0.1:\(guardedPort)/", "--token", "t0k"]).code == 0)
        guarded.signal(SIGTERM)
        _ = await guarded.exitCode()
    }

    @Test("a port already in use and a corrupt journal are one line each, non-zero")
    func startupFailures() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal"])
        let port = try #require(await serve.listeningPort())
        let clash = try await runCalldash(["serve", "--port", String(port), "--no-journal"])
        #expect(clash.code == 1)
        #expect(clash.stderr == "calldash: cannot listen on 127.0.0.1:\(port): address already in use\n")
        serve.signal(SIGTERM)
        _ = await serve.exitCode()

        let journal = dir + "/j.jsonl"
        try "{\"seq\":1}\nnot json\n{\"seq\":3}\n".write(toFile: journal, atomically: true, encoding: .utf8)
        let corrupt = try await runCalldash(["serve", "--port", "0", "--journal", journal])
        #expect(corrupt.code == 1)
        #expect(corrupt.stderr.split(separator: "\n").count == 1)
        #expect(corrupt.stderr.contains("is corrupt at line 2"))
    }

    @Test("push exits non-zero when the endpoint answers anything but 200 or 202, and says how it went")
    func pushFailureSummary() async throws {
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--respond", "503"])
        let port = try #require(await serve.listeningPort())
        let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--count", "3", "--attempts", "2", "--json"])
        #expect(push.code == 1)
        #expect(push.stdout == "{\"sent\":3,\"delivered\":0,\"failed\":3,\"not_sent\":0,\"attempts\":6}\n")
        let text = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--attempts", "1"])
        #expect(text.stdout.contains("sent 1, delivered 0, failed 1, attempts 1 (failures: 503 ×1)"))
        #expect(text.stderr.contains("report 1: not delivered after 1 attempt(s), last answer 503"))
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
    }

    @Test("push --report sends the file's reports byte for byte")
    func pushReportFile() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/reports.jsonl"
        try "{\"from\": 9198765432101234567, \"status\": \"BUSY\"}\n{\"to\": \"0123\", \"duration\": 23.0}\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal"])
        let port = try #require(await serve.listeningPort())
        let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--report", file])
        #expect(push.code == 0)
        #expect(await serve.wait { $0.stdout.split(separator: "\n").count == 2 })
        #expect(serve.stdout.contains(#""fields":{"from":"9198765432101234567","status":"BUSY"}"#))
        #expect(serve.stdout.contains(#""fields":{"to":"0123","duration":"23.0"}"#))
        serve.signal(SIGTERM)
        _ = await serve.exitCode()
    }
}

@Suite("calldash watch, as built")
struct WatchTests {
    @Test("watch --demo without a terminal prints one line per simulated call and quits cleanly on Ctrl-C")
    func demoShowsCalls() async throws {
        let watch = try CalldashProcess(["watch", "--demo", "--port", "0", "--no-journal", "--demo-rate", "40"])
        #expect(
            await watch.wait { $0.stdout.split(separator: "\n").filter { $0.contains("#") }.count >= 5 }, "\(watch.stdout)\(watch.stderr)")
        let lines = watch.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("calldash: listening on http://127.0.0.1:") == true)
        #expect(lines.dropFirst().first?.hasPrefix("TIME") == true)
        let calls = lines.filter { $0.contains("#") }
        #expect(calls.allSatisfy { line in CallStatusNames.all.contains { line.contains($0) } })
        watch.signal(SIGINT)
        #expect(await watch.exitCode() == 0)
    }

    @Test("watch --plain shows a bidi override and control characters by name; none reaches the terminal raw")
    func plainOutputIsSafe() async throws {
        let watch = try CalldashProcess(["watch", "--plain", "--port", "0", "--no-journal"])
        #expect(
            await watch.wait { portNumber(after: "listening on http://127.0.0.1:", in: $0.stdout + $0.stderr) != nil }, "\(watch.stderr)")
        let port = try #require(portNumber(after: "listening on http://127.0.0.1:", in: watch.stdout + watch.stderr))
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ack")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"to":"91\u202e7654","from":"x\u0007y","status":"\u001b[31mRED","mid":"PLAIN-1"}"#))
        _ = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(await watch.wait { $0.stdout.contains("PLAIN-1") }, "\(watch.stdout)")
        let line = watch.stdout.split(separator: "\n").first { $0.contains("PLAIN-1") }.map(String.init) ?? ""
        #expect(line.contains("91‹RLO›7654") && line.contains("x␇y") && line.contains("␛[31mRED"), "\(line)")
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
        watch.signal(SIGINT)
        #expect(await watch.exitCode() == 0)
    }

    @Test("watch --plain prints a seq past a million in full: a journal's seqs grow past what the store holds")
    func plainSeqPastAMillion() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/journal.jsonl"
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
        let port = try #require(await serve.listeningPort())
        #expect(try await post(port, #"{"status":"BUSY","mid":"BIG-1"}"#) == 200)
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
        // The journal's one line, renumbered as the 12,345,678th call (the index goes: it is rebuilt).
        let line = try String(contentsOfFile: journal, encoding: .utf8)
        try line.replacingOccurrences(of: #"{"seq":1,"#, with: #"{"seq":12345678,"#).write(
            toFile: journal, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: journal + ".idx")
        let watch = try CalldashProcess(["watch", "--plain", "--port", "0", "--journal", journal])
        #expect(await watch.wait { portNumber(after: "listening on http://127.0.0.1:", in: $0.stdout) != nil }, "\(watch.stderr)")
        let watchPort = try #require(portNumber(after: "listening on http://127.0.0.1:", in: watch.stdout))
        #expect(try await post(watchPort, #"{"status":"BUSY","mid":"BIG-2"}"#) == 200)
        #expect(await watch.wait { $0.stdout.contains("BIG-2") }, "\(watch.stdout)\n\(watch.stderr)")
        let shown = watch.stdout.split(separator: "\n").first { $0.contains("BIG-2") }.map(String.init) ?? ""
        #expect(shown.contains(" #12345679 "), "\(shown)")
        watch.signal(SIGINT)
        #expect(await watch.exitCode() == 0)
    }

    @Test("--journal two folders deep into nothing is one line, non-zero, and creates no folder")
    func journalFolderMustExist() async throws {
        let missing = "/tmp/calldash-no-such-\(UUID().uuidString)"
        let r = try await runCalldash(["serve", "--port", "0", "--journal", missing + "/sub/j.jsonl"])
        #expect(r.code != 0)
        #expect(r.stderr.contains("--journal: the folder \(missing) does not exist (create it first)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("watch --demo serves the recordings its calls point at, so checking or opening one works; serve does not")
    func demoServesItsRecordings() async throws {
        let watch = try CalldashProcess(["watch", "--demo", "--plain", "--port", "0", "--no-journal", "--demo-rate", "40"])
        #expect(await watch.wait { portNumber(after: "listening on http://127.0.0.1:", in: $0.stdout) != nil }, "\(watch.stdout)")
        let port = try #require(portNumber(after: "listening on http://127.0.0.1:", in: watch.stdout))
        let base = "http://127.0.0.1:\(port)"
        var url: String?
        for _ in 0..<50 where url == nil {
            let reply = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: base + "/_calldash/reports?status=ANSWER&limit=1"), timeout: .seconds(10))
            let page = String(buffer: try await reply.body.collect(upTo: 1 << 20))
            url = page.firstMatch(of: /"recording_url":"([^"]+)"/).map { String($0.1) }
            if url == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let recording = try #require(url, "an answered demo call with a recording")
        #expect(recording.hasPrefix(base + "/_calldash/demo/recordings/") && recording.hasSuffix(".mp3"), "\(recording)")
        var head = HTTPClientRequest(url: recording)
        head.method = .HEAD
        let answer = try await HTTPClient.shared.execute(head, timeout: .seconds(10))
        #expect(answer.status.code == 200 && answer.headers.first(name: "content-type") == "audio/mpeg")
        watch.signal(SIGINT)
        #expect(await watch.exitCode() == 0)

        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal"])
        let servePort = try #require(await serve.listeningPort())
        var probe = HTTPClientRequest(url: "http://127.0.0.1:\(servePort)/_calldash/demo/recordings/1/x.mp3")
        probe.method = .HEAD
        #expect(try await HTTPClient.shared.execute(probe, timeout: .seconds(10)).status.code == 404)
        serve.signal(SIGINT)
        #expect(await serve.exitCode() == 0)
    }

    @Test("--capacity bounds what serve keeps in memory while the journal keeps everything")
    func capacity() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/j.jsonl", "--capacity", "10"])
        let port = try #require(await serve.listeningPort())
        _ = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/a", "--count", "25"])
        let health = try await get("http://127.0.0.1:\(port)/_calldash/health")
        #expect(health == #"{"status":"ok","received":25,"accepted":25,"rejected":0,"stored":10}"#)
        let reports = try await get("http://127.0.0.1:\(port)/_calldash/reports")
        #expect(reports.hasPrefix("[{\"seq\":16,"))
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
        #expect(try String(contentsOfFile: dir + "/j.jsonl", encoding: .utf8).split(separator: "\n").count == 25)
    }
}

enum CallStatusNames {
    static let all = ["ANSWER", "NOANSWER", "BUSY", "CANCEL", "FAILED", "CONGESTION", "CHANUNAVAIL"]
}
