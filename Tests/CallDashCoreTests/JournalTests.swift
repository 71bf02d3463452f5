import Foundation
import Synchronization
import Testing

@testable import CallDashCore

private func recorder(_ dir: String, lastSeq: UInt64 = 0, secrets: [String] = [], fsync: Bool = false) throws -> Recorder {
    Recorder(
        store: ReportStore(capacity: 100), journal: try Journal(path: dir + "/j/journal.jsonl", fsync: fsync),
        lastSeq: lastSeq, redactor: SecretRedactor(secrets: secrets))
}

@Suite("The journal keeps every delivery across restarts")
struct JournalTests {
    @Test("recorded deliveries replay into a new store with every field, and seq continues")
    func replayRoundTrip() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { // the first run; its journal closes when it ends, as at a restart
            let r = try recorder(dir)
            try r.record(sampleRecord(status: "ANSWER"))
            var rejected = sampleRecord(raw: "{oops")
            rejected.outcome = .rejected
            rejected.responseCode = 400
            rejected.error = "malformed JSON"
            rejected.fields = ReportFields()
            try r.record(rejected)
            try r.record(sampleRecord(status: "BUSY", mid: "m3"))
        }

        let store = ReportStore(capacity: 100)
        let result = try JournalReplay.replay(path: dir + "/j/journal.jsonl", into: store) { Issue.record("warned: \($0)") }
        #expect(result == ReplayResult(records: 3, lastSeq: 3, tornBytes: 0))
        let snap = store.snapshot()
        #expect(snap.count == 3)
        #expect(snap[1].outcome == .rejected && snap[1].error == "malformed JSON")
        #expect(snap[2].fields[.mid] == "m3")
        let next = Recorder(store: store, journal: try Journal(path: dir + "/j/journal.jsonl"), lastSeq: result.lastSeq)
        #expect(try next.record(sampleRecord()).record.seq == 4)
        let full = try next.record(for: snap[1])
        #expect(full.raw == Array("{oops".utf8))
        #expect(full.headers.first?.name == "Content-Type")
    }

    @Test("a torn last line is skipped with a warning and cut off, so the next append starts clean")
    func tornLastLine() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/j/journal.jsonl"
        do {
            let r = try recorder(dir)
            try r.record(sampleRecord())
            try r.record(sampleRecord())
        }
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        let torn = "{\"seq\":3,\"received_at\":\"2026-"
        handle.write(Data(torn.utf8))
        handle.closeFile()

        let warnings = Mutex<[String]>([])
        let result = try JournalReplay.replay(path: path, into: ReportStore()) { w in warnings.withLock { $0.append(w) } }
        #expect(result.records == 2 && result.lastSeq == 2 && result.tornBytes == torn.utf8.count)
        #expect(warnings.withLock { $0.count } == 1)
        #expect(warnings.withLock { $0[0] }.contains("torn last line"))
        let again = Recorder(store: ReportStore(), journal: try Journal(path: path), lastSeq: 2)
        try again.record(sampleRecord())
        #expect(lines(of: path).count == 3)
        #expect(try JournalReplay.replay(path: path, into: ReportStore()) { _ in }.records == 3)
    }

    @Test("a bad line in the middle is an error naming the line, not a silent loss")
    func corruptMiddle() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let good = String(decoding: sampleRecord().json(), as: UTF8.self)
        try (good + "\nnot json\n" + good.replacingOccurrences(of: "\"seq\":0", with: "\"seq\":2") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try JournalReplay.replay(path: path, into: ReportStore()) { _ in }
        } throws: { error in
            "\(error)".contains("is corrupt at line 2")
        }
    }

    @Test("a long journal replayed without its index (many rounds, every core) matches the index, in order, torn tail cut")
    func longJournalWithoutIndex() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/j/journal.jsonl"
        let count = JournalReplay.roundSize * 2 + 777
        do {
            let r = Recorder(store: ReportStore(capacity: count), journal: try Journal(path: path), lastSeq: 0)
            for i in 1...count { try r.record(sampleRecord(status: i % 3 == 0 ? "BUSY" : "ANSWER", mid: "m\(i)")) }
        }
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":".utf8))
        handle.closeFile()
        try FileManager.default.removeItem(atPath: JournalIndex.path(for: path))

        let rebuilt = ReportStore(capacity: count)
        let result = try JournalReplay.replay(path: path, into: rebuilt) { _ in }
        #expect(result.records == count && result.lastSeq == UInt64(count) && result.tornBytes == 7)
        let fromIndex = ReportStore(capacity: count)
        #expect(try JournalReplay.replay(path: path, into: fromIndex) { Issue.record("warned: \($0)") }.records == count)
        let (a, b) = (rebuilt.snapshot(), fromIndex.snapshot())
        #expect(a.count == count && b.count == count)
        for i in stride(from: 0, to: count, by: 97) {
            #expect(a[i].seq == UInt64(i + 1) && a[i].fields[.mid] == "m\(i + 1)")
            #expect(b[i].seq == a[i].seq && b[i].fields == a[i].fields && b[i].location == a[i].location)
        }
    }

    @Test("a seq that goes back deep in a long journal names its line")
    func seqGoesBackDeep() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let bad = JournalReplay.roundSize + 1500
        var text = ""
        for i in 1...(JournalReplay.roundSize * 2) {
            var record = sampleRecord()
            record.seq = UInt64(i == bad ? 5 : i)
            text += String(decoding: record.json(), as: UTF8.self) + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try JournalReplay.replay(path: path, into: ReportStore()) { _ in }
        } throws: { error in
            "\(error)".contains("is corrupt at line \(bad) (seq 5 does not follow seq \(bad - 1))")
        }
    }

    @Test("a missing journal is an empty one; a final line without newline still counts")
    func missingAndUnterminated() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try JournalReplay.replay(path: dir + "/none.jsonl", into: ReportStore()) { _ in } == ReplayResult())
        let path = dir + "/hand.jsonl"
        var record = sampleRecord()
        record.seq = 41
        try String(decoding: record.json(), as: UTF8.self).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try JournalReplay.replay(path: path, into: ReportStore()) { _ in }.lastSeq == 41)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("}\n"))
    }

    @Test("the bearer token never reaches the journal, wherever the request carried it")
    func secretsNeverWritten() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try recorder(dir, secrets: ["s3cret"])
        var record = sampleRecord(raw: #"{"token":"s3cret","status":"ANSWER"}"#)
        record.query = [NameValue("t", "xs3cretx")]
        record.path = "/hook/s3cret"
        try r.record(record)
        let text = try String(contentsOfFile: dir + "/j/journal.jsonl", encoding: .utf8)
        #expect(!text.contains("s3cret"))
        #expect(text.contains("Bearer ***"))
    }

    @Test("bodies that are not UTF-8 are journaled as base64 and come back byte for byte")
    func binaryBodies() throws {
        var record = sampleRecord()
        record.raw = [0xFF, 0x00, 0x7B, 0xC3]
        let line = record.json()
        #expect(String(decoding: line, as: UTF8.self).contains("\"raw_encoding\":\"base64\""))
        #expect(try DeliveryRecord(json: line) == record)
    }

    @Test("hostile text survives the journal unchanged")
    func hostileText() throws {
        var record = sampleRecord()
        record.fields[.from] = "\"quote\" \\ \n\t\u{0001} é 😀 \u{2028}"
        record.extra = [NameValue("k\"ey", "{\"nested\":[1,2]}")]
        record.error = "line1\nline2"
        #expect(try DeliveryRecord(json: record.json()) == record)
    }

    @Test("with fsync on, every waiter is told once its line is on disk (group commit)")
    func groupCommit() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try recorder(dir, fsync: true)
        let seqs = try (0..<50).map { _ in try r.record(sampleRecord()).record.seq }
        #expect(r.store.snapshot().count == 0, "nothing is published before it is on disk")
        let done = await withTaskGroup(of: Bool.self) { group in
            for seq in seqs {
                group.addTask {
                    await withCheckedContinuation { c in r.whenDurable(seq) { c.resume(returning: $0 == .journaled) } }
                }
            }
            var all = 0
            for await ok in group where ok { all += 1 }
            return all
        }
        #expect(done == 50)
        #expect(r.store.snapshot().count == 50)
    }

    @Test("journal lines are the documented record fields in order")
    func lineShape() throws {
        var record = sampleRecord()
        record.seq = 9
        let text = String(decoding: record.json(), as: UTF8.self)
        let keys = [
            "seq", "duplicate_of", "received_at", "method", "path", "query", "headers", "remote", "content_type", "response_code",
            "outcome",
            "error",
            "fields", "extra", "raw", "raw_encoding", "webhook"
        ]
        var last = text.startIndex
        for k in keys {
            let r = try #require(text.range(of: "\"\(k)\":"), "missing \(k)")
            #expect(r.lowerBound >= last, "\(k) out of order")
            last = r.lowerBound
        }
        #expect(text.contains("\"received_at\":\"2026-09-21T14:13:20.123Z\""))
    }
}

@Suite("Timestamps print and parse as ISO 8601 UTC")
struct TimestampTests {
    @Test(
        "known instants",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
            (Int64(1_790_000_000_123), "2026-09-21T14:13:20.123Z"),
            (Int64(-1), "1969-12-31T23:59:59.999Z")
        ])
    func known(millis: Int64, text: String) {
        #expect(Timestamp(millis: millis).iso8601 == text)
        #expect(Timestamp(iso8601: text)?.millis == millis)
    }

    @Test("malformed timestamps are refused")
    func malformed() {
        #expect(Timestamp(iso8601: "2026-13-01T00:00:00Z") == nil)
        #expect(Timestamp(iso8601: "yesterday") == nil)
        #expect(Timestamp(iso8601: "2026-01-01T00:00:00Z")?.millis == 1_767_225_600_000)
    }
}
