import CallDashClient
import CallDashCore
import Foundation
import Synchronization
import Testing

@testable import CallDashReceiver

/// A port that takes connections (the kernel completes them) but never answers: an app that hangs.
private final class SilentListener {
    private let held: RefusingPort
    var port: Int { held.port }

    init() throws {
        held = try RefusingPort()
        guard listen(held.fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    }
}

private func forwarding(
    _ r: TestReceiver, to url: String, attempts: Int = 3, timeout: Duration = .seconds(10), concurrency: Int = 8, queueLimit: Int = 10_000,
    report: @escaping @Sendable (String) -> Void = { _ in }
) -> Forwarder {
    forwarding(r.recorder, to: url, attempts: attempts, timeout: timeout, concurrency: concurrency, queueLimit: queueLimit, report: report)
}

private func forwarding(
    _ recorder: Recorder, to url: String, attempts: Int = 3, timeout: Duration = .seconds(10), concurrency: Int = 8,
    queueLimit: Int = 10_000,
    report: @escaping @Sendable (String) -> Void = { _ in }
) -> Forwarder {
    let f = Forwarder(
        Forwarder.Settings(
            url: url, attempts: attempts, timeout: timeout, initialBackoff: .milliseconds(10), concurrency: concurrency,
            queueLimit: queueLimit),
        recorder: recorder, report: report)
    f.start()
    return f
}

@Suite("Every accepted delivery is forwarded to the user's app in the background, each attempt kept")
struct ForwardTests {
    @Test(
        "the app gets the delivery as it arrived: its path after the app's, query, headers, raw bytes, X-Forwarded-For; the record says delivered"
    )
    func forwardsAsArrived() async throws {
        try await TestReceiver.run { app async throws in
            try await TestReceiver.run { r async throws in
                let forwarder = forwarding(r, to: app.base + "/hooks/")
                let body = Array(#"{"status":"BUSY","mid":"m-1","note":"é ✓"}"#.utf8)
                let reply = try await request(
                    .POST, r.base + "/crm/ack?flow=2&name=a%20b",
                    headers: [("Content-Type", "application/json"), ("X-Provider", "obd"), ("Connection", "keep-alive")], body: body)
                #expect(reply.status == 200)
                #expect(await eventually { r.recorder.forwards.last(of: 1) != nil })
                await forwarder.stop()
                let got = try app.last()
                #expect(got.method == "POST" && got.path == "/hooks/crm/ack")
                #expect(got.query == [NameValue("flow", "2"), NameValue("name", "a b")])
                #expect(got.raw == body)
                #expect(got.headers.contains(NameValue("X-Provider", "obd")))
                #expect(got.headers.first { $0.name.lowercased() == "x-forwarded-for" }?.value == "127.0.0.1")
                #expect(got.headers.first { $0.name.lowercased() == "host" }?.value == "127.0.0.1:\(app.port)")
                let forward = try #require(r.recorder.forwards.last(of: 1))
                #expect(forward.delivered && forward.status == 200 && forward.attempt == 1 && forward.error == nil)
                #expect(forward.url == app.base + "/hooks/crm/ack?flow=2&name=a%20b")
                #expect(forward.reply.contains("\"seq\":1"), "the start of the app's reply: \(forward.reply)")
                let served = try await request(.GET, r.base + "/_calldash/reports/1")
                let record = try DeliveryRecord(json: Array(served.body.utf8))
                #expect(record.forward?.delivered == true && record.forward?.attempt == 1)
                let page = try await request(.GET, r.base + "/_calldash/reports")
                #expect(page.body.contains(#""forward":{"at":""#))
                #expect(page.body.contains(#""url":"\#(app.base)/hooks/crm/ack?flow=2&name=a%20b","attempts":1,"status":200"#))
                #expect(r.recorder.forwards.counts == ForwardLog.Counts(attempts: 1, delivered: 1, failed: 0, dropped: 0))
            }
        }
    }

    @Test(
        "an app answering 500 is retried up to the attempts with each attempt journaled, then given up on; a rejected delivery is not forwarded"
    )
    func retriedThenGivenUp() async throws {
        try await TestReceiver.run(respond: 500) { app async throws in
            try await TestReceiver.run(token: "s3cret-k3y") { r async throws in
                let forwarder = forwarding(r, to: app.base)
                #expect(try await postJSON(r.base + "/ack", seedReport).status == 401)
                let auth = [("Authorization", "Bearer s3cret-k3y")]
                #expect(try await postJSON(r.base + "/ack?t=s3cret-k3y", seedReport, headers: auth).status == 200)
                #expect(await eventually { r.recorder.forwards.counts.failed == 1 })
                await forwarder.stop()
                #expect(app.recorder.store.snapshot().count == 3, "three attempts reached the app")
                let got = try app.last()
                #expect(!got.headers.contains { $0.name.lowercased() == "authorization" }, "a masked Authorization is not forwarded")
                #expect(got.query == [NameValue("t", "***")])
                let last = try #require(r.recorder.forwards.last(of: 2))
                #expect(!last.delivered && last.status == 500 && last.attempt == 3 && last.error == "the app answered 500")
                #expect(r.recorder.forwards.last(of: 1) == nil, "the refused delivery was not forwarded")
                func forwardLines() -> [Substring] {
                    ((try? String(contentsOfFile: r.journalPath, encoding: .utf8)) ?? "").split(separator: "\n")
                        .filter { $0.hasPrefix(#"{"forward_of":2,"#) }
                }
                #expect(await eventually { forwardLines().count == 3 }, "written soon after, with no delivery to carry them")
                let journal = try String(contentsOfFile: r.journalPath, encoding: .utf8)
                #expect(forwardLines().map { $0.contains(#""delivered":false"#) } == [true, true, true])
                #expect(!journal.contains("s3cret-k3y"))
                let metrics = try await request(.GET, r.base + "/_calldash/metrics", headers: auth).body
                for line in ["calldash_forward_attempts_total 3", "calldash_forward_failed_total 1", "calldash_forward_delivered_total 0"] {
                    #expect(metrics.contains(line + "\n"), "\(line) in \(metrics)")
                }
            }
        }
    }

    @Test("an app that is down or hangs costs the provider nothing: every delivery is answered at once, the attempts say why")
    func appDownOrHanging() async throws {
        let refusing = try RefusingPort()
        let down = refusing.port
        let silent = try SilentListener()
        defer { withExtendedLifetime(refusing) {} }
        // Forwarding runs at the lowest CPU priority: with the whole suite running, a refused
        // connection may take longer than a second to be seen, so that case has more time.
        let cases: [(url: String, timeout: Duration, why: [String])] = [
            ("http://127.0.0.1:\(down)", .seconds(8), ["connection refused by 127.0.0.1:\(down)"]),
            ("http://127.0.0.1:\(silent.port)", .seconds(1), ["no answer in time", "the answer did not finish within 1 s"])
        ]
        for (url, timeout, why) in cases {
            try await TestReceiver.run { r async throws in
                let reports = Mutex<[String]>([])
                let forwarder = forwarding(r, to: url, attempts: 2, timeout: timeout) { m in reports.withLock { $0.append(m) } }
                for _ in 0..<20 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
                #expect(await eventually { r.recorder.forwards.counts.failed == 20 }, "\(r.recorder.forwards.counts)")
                await forwarder.stop()
                let said = reports.withLock { $0 }.filter { $0.contains("did not take seq") }
                #expect(
                    said.count == 1 && said[0].hasPrefix("your app at \(url) did not take seq "), "said once, not per delivery: \(said)")
                let last = try #require(r.recorder.forwards.last(of: 20))
                #expect(last.status == nil && !last.delivered && last.attempt == 2)
                #expect(why.contains { last.error?.contains($0) == true }, "\(last.error ?? "")")
            }
        }
    }

    @Test(
        "when the app is too slow for the queue, the newest deliveries are not forwarded, counted, said once and marked so on their records; ingest goes on"
    )
    func fullQueue() async throws {
        let silent = try SilentListener()
        try await TestReceiver.run { r async throws in
            let reports = Mutex<[String]>([])
            let forwarder = forwarding(
                r, to: "http://127.0.0.1:\(silent.port)", attempts: 1, timeout: .seconds(30), concurrency: 1, queueLimit: 5
            ) { m in reports.withLock { $0.append(m) } }
            for _ in 0..<60 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
            // One under way (the app hangs) and five waiting: the other 54 do not fit (55 when
            // the niced forwarder took none before the queue filled).
            #expect(await eventually { r.recorder.forwards.counts.dropped >= 54 }, "\(r.recorder.forwards.counts)")
            #expect(r.recorder.forwards.counts.dropped <= 55)
            #expect(r.recorder.store.snapshot().count == 60)
            let told = reports.withLock { $0 }
            #expect(told.filter { $0.contains("forward queue full") }.count == 1, "\(told)")
            let last = try #require(r.recorder.forwards.last(of: 60), "the newest delivery says it was not forwarded")
            #expect(last.attempt == 0 && !last.delivered && last.error == ForwardAttempt.queueFull(limit: 5) && !last.pending)
            let served = try DeliveryRecord(json: Array(try await request(.GET, r.base + "/_calldash/reports/60").body.utf8))
            #expect(served.forward?.error == ForwardAttempt.queueFull(limit: 5) && served.forward?.attempt == 0)
            #expect(r.recorder.forwards.counts.attempts == 0, "no attempt was made for them, nor has the one under way ended")
            await forwarder.stop()
        }
    }

    @Test(
        "deliveries not yet taken when forwarding stops are journaled as pending and forwarded first on the next start; those the full queue left are not"
    )
    func pendingForwardedAfterRestart() async throws {
        let silent = try SilentListener()
        let r = try await TestReceiver.start()
        let reports = Mutex<[String]>([])
        let forwarder = forwarding(
            r, to: "http://127.0.0.1:\(silent.port)", attempts: 1, timeout: .seconds(30), concurrency: 1, queueLimit: 5
        ) {
            m in reports.withLock { $0.append(m) }
        }
        for _ in 0..<20 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
        #expect(await eventually { r.recorder.forwards.counts.dropped >= 14 })
        await forwarder.stop()
        await r.receiver.stop()
        r.recorder.flush()
        let dropped = r.recorder.forwards.counts.dropped
        let pendingCount = r.recorder.forwards.pending.count
        #expect(
            pendingCount == 20 - Int(dropped) && (5...6).contains(pendingCount),
            "one under way and five waiting: \(r.recorder.forwards.pending)")
        let firstPending = try #require(r.recorder.forwards.pending.first)
        #expect(
            r.recorder.forwards.last(of: firstPending)?.url == "http://127.0.0.1:\(silent.port)/ack", "where it was to go, as attempts say")
        #expect(
            reports.withLock { $0 }.contains {
                $0.contains("\(pendingCount) deliveries not yet taken") && $0.contains("the next start with --forward-to")
            })
        defer { try? FileManager.default.removeItem(atPath: r.dir) }
        try await TestReceiver.run { app async throws in
            for withIndex in [true, false] {
                // Each start from the journal as the first run left it (the other start adds to its copy).
                let path = r.dir + "/start-\(withIndex).jsonl"
                try FileManager.default.copyItem(atPath: r.journalPath, toPath: path)
                if withIndex { try FileManager.default.copyItem(atPath: r.journalPath + ".idx", toPath: path + ".idx") }
                let store = ReportStore()
                let result = try JournalReplay.replay(path: path, into: store) { _ in }
                #expect((1...20).allSatisfy { result.forwards.last(of: $0) != nil }, "every delivery says what became of it")
                #expect(result.forwards.pending == r.recorder.forwards.pending, "with index: \(withIndex)")
                let dropped = try #require(result.forwards.pending.last.map { $0 + 1 })
                #expect(result.forwards.last(of: dropped)?.error == ForwardAttempt.queueFull(limit: 5))
                let restarted = Recorder(
                    store: store, journal: try Journal(path: path), lastSeq: result.lastSeq, forwards: result.forwards)
                let before = app.recorder.store.snapshot().count
                let said = Mutex<[String]>([])
                let again = forwarding(restarted, to: app.base) { m in said.withLock { $0.append(m) } }
                #expect(await eventually { restarted.forwards.counts.delivered == pendingCount }, "\(restarted.forwards.counts)")
                await again.stop()
                restarted.flush()
                #expect(app.recorder.store.snapshot().count - before == pendingCount, "only the pending ones reached the app")
                #expect(restarted.forwards.pending.isEmpty)
                #expect(said.withLock { $0 }.contains { $0.hasPrefix("forwarding first the \(pendingCount) deliveries (seq ") })
                #expect(restarted.forwards.last(of: dropped)?.attempt == 0, "the queue's leftovers wait for calldash replay")
            }
        }
    }

    @Test("a forwarding loop (to itself under another name, or round two receivers) stops at the first delivery that comes back")
    func loopsStop() async throws {
        try await TestReceiver.run { r async throws in
            let itself = forwarding(r, to: "http://127.0.0.1:\(r.port)/again")
            #expect(try await postJSON(r.base + "/ack", seedReport).status == 200)
            #expect(await eventually { r.recorder.forwards.last(of: 2)?.error != nil })
            try await Task.sleep(for: .milliseconds(300))
            await itself.stop()
            #expect(r.recorder.store.snapshot().count == 2, "the first came back once, and went no further")
            #expect(r.recorder.forwards.last(of: 2)?.error?.contains("a forwarding loop") == true)
            #expect(try r.last().headers.contains { $0.name == "CallDash-Forwarded-By" })
        }
        try await TestReceiver.run { a async throws in
            try await TestReceiver.run { b async throws in
                let ab = forwarding(a, to: b.base)
                let ba = forwarding(b, to: a.base)
                #expect(try await postJSON(a.base + "/ack", seedReport).status == 200)
                #expect(await eventually { a.recorder.forwards.last(of: 2)?.error?.contains("a forwarding loop") == true })
                try await Task.sleep(for: .milliseconds(300))
                await ab.stop()
                await ba.stop()
                #expect(a.recorder.store.snapshot().count == 2 && b.recorder.store.snapshot().count == 1)
            }
        }
    }

    @Test("forward attempts are kept across a restart, from the index and from the journal alone; the stream tells each attempt")
    func keptAcrossRestart() async throws {
        try await TestReceiver.run(respond: 503) { app async throws in
            let r = try await TestReceiver.start()
            let stream = try RawConnection(port: r.port)
            stream.send("GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let forwarder = forwarding(r, to: app.base, attempts: 2)
            for _ in 0..<3 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
            #expect(await eventually { r.recorder.forwards.counts.failed == 3 })
            await forwarder.stop()
            let events = await stream.read(until: { $0.components(separatedBy: "event: forward\n").count > 6 }).text
            #expect(events.contains(#"event: forward"# + "\n" + #"data: {"seq":3,"forward":{"at":""#))
            #expect(events.contains(#""url":"\#(app.base)/ack","attempts":2,"status":503"#))
            #expect(!events.contains("id: 3\nevent: forward"), "a forward event moves no Last-Event-ID")
            // One more delivery after the forward lines, so the index has entries on both sides of them.
            try r.recorder.record(DeliveryRecord(receivedAt: .now(), method: "POST", path: "/after"))
            let expected = (1...3).map { r.recorder.forwards.last(of: $0) }
            await r.receiver.stop()
            for withIndex in [true, false] {
                if !withIndex { try FileManager.default.removeItem(atPath: r.journalPath + ".idx") }
                let store = ReportStore()
                let warnings = Mutex<[String]>([])
                let result = try JournalReplay.replay(path: r.journalPath, into: store) { w in warnings.withLock { $0.append(w) } }
                #expect(result.records == 4 && result.lastSeq == 4)
                #expect((1...3).map { result.forwards.last(of: $0) } == expected, "with index: \(withIndex)")
                #expect(warnings.withLock { $0 }.isEmpty, "\(warnings.withLock { $0 })")
                let restarted = Recorder(store: store, journal: nil, lastSeq: result.lastSeq, forwards: result.forwards)
                #expect(restarted.forwards.last(of: 2)?.status == 503 && restarted.forwards.last(of: 4) == nil)
            }
            try? FileManager.default.removeItem(atPath: r.dir)
        }
    }
}

@Suite("--forward-reply: the provider gets what the user's app answered")
struct ForwardReplyTests {
    /// A receiver whose deliveries are answered by the app at `url` (one attempt, `timeout`).
    func replying(to url: String, timeout: Duration = .seconds(5), _ body: (TestReceiver) async throws -> Void) async throws {
        let forwarder = Mutex<Forwarder?>(nil)
        try await TestReceiver.run(
            appAnswer: { recorder in
                let f = Forwarder(Forwarder.Settings(url: url, attempts: 3, timeout: timeout), recorder: recorder, report: { _ in })
                forwarder.withLock { $0 = f }
                return { record in await f.answer(for: record) }
            }, body)
        await forwarder.withLock { $0 }?.stop()
    }

    @Test("the app's status, content type and body go back to the provider, and the attempt is the record's forward")
    func appAnswerPassedOn() async throws {
        try await TestReceiver.run(respond: 202) { app async throws in
            try await replying(to: app.base + "/app") { r async throws in
                let reply = try await postJSON(r.base + "/ack", seedReport)
                #expect(reply.status == 202)
                #expect(reply.headers.first(name: "content-type") == "application/json")
                #expect(reply.body == #"{"ok":true,"seq":1}"#, "the app's own answer (its seq 1), not this receiver's")
                #expect(try app.last().path == "/app/ack")
                let forward = try #require(r.recorder.forwards.last(of: 1))
                #expect(
                    forward.status == 202 && forward.delivered && forward.attempt == 1, "one attempt: the provider retries by its own rule")
            }
        }
    }

    @Test("an app that is down, or gives no answer in time, is a 502 with the reason in JSON, and the delivery is kept")
    func noAnswerIs502() async throws {
        let refusing = try RefusingPort()
        let down = refusing.port
        let silent = try SilentListener()
        defer { withExtendedLifetime(refusing) {} }
        let cases = [
            ("http://127.0.0.1:\(down)", "connection refused by 127.0.0.1:\(down)"),
            ("http://127.0.0.1:\(silent.port)", "in time")
        ]
        for (url, why) in cases {
            try await replying(to: url, timeout: .seconds(1)) { r async throws in
                let reply = try await postJSON(r.base + "/ack", seedReport)
                #expect(reply.status == 502)
                #expect(reply.json["error"]?.hasPrefix("your app at \(url) did not answer: ") == true, "\(reply.body)")
                #expect(
                    reply.json["error"]?.contains(why) == true || reply.json["error"]?.contains("did not finish within") == true,
                    "\(reply.body)")
                #expect(reply.json["seq"] == "1")
                #expect(try r.last().outcome == .accepted, "the delivery itself is journaled")
                let forward = try #require(r.recorder.forwards.last(of: 1))
                #expect(forward.status == nil && !forward.delivered)
            }
        }
    }
}
