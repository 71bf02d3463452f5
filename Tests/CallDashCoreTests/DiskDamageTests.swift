import Foundation
import Synchronization
import Testing

@testable import CallDashCore

private func replay(_ path: String) throws -> (ReplayResult, StoreSnapshot, [String]) {
    let store = ReportStore()
    let warnings = Mutex<[String]>([])
    let result = try JournalReplay.replay(path: path, into: store) { w in warnings.withLock { $0.append(w) } }
    return (result, store.snapshot(), warnings.withLock { $0 })
}

private func writeJournal(_ path: String, count: Int) throws {
    let recorder = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 0)
    for i in 0..<count { try recorder.record(sampleRecord(status: ["ANSWER", "BUSY", "odd"][i % 3], mid: "m-\(i + 1)")) }
}

@Suite("Bytes read back from disk are checked like bytes from the network")
struct DiskDamageTests {
    @Test("any byte of the index flipped: start never crashes and stores exactly what the journal holds")
    func everyIndexByteFlipped() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 12)
        let good = try Data(contentsOf: URL(fileURLWithPath: path + ".idx"))
        try FileManager.default.removeItem(atPath: path + ".idx")
        let (_, truth, _) = try replay(path)
        var rebuilt = 0
        for offset in JournalIndex.magic.count..<good.count {
            for value: UInt8 in [0x00, 0xFF, good[offset] ^ 0x01, 9] where value != good[offset] {
                var damaged = good
                damaged[offset] = value
                try damaged.write(to: URL(fileURLWithPath: path + ".idx"))
                let (result, snap, warnings) = try replay(path)
                #expect(result.records == 12 && snap.count == 12, "byte \(offset) = \(value)")
                #expect((0..<12).allSatisfy { snap[$0] == truth[$0] }, "byte \(offset) = \(value) changed what was loaded")
                #expect(snap.counts == truth.counts)
                if !warnings.isEmpty { rebuilt += 1 }
            }
        }
        #expect(rebuilt > 0)
    }

    @Test("an index entry whose text was changed consistently is still caught by its check")
    func tamperedStatusText() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 3)
        var index = try Data(contentsOf: URL(fileURLWithPath: path + ".idx"))
        let answer = Data("ANSWER".utf8)
        let cancel = Data("CANCEL".utf8)
        let r = try #require(index.range(of: answer))
        index.replaceSubrange(r, with: cancel)
        try index.write(to: URL(fileURLWithPath: path + ".idx"))
        let (_, snap, warnings) = try replay(path)
        #expect(snap[0].fields[.status] == "ANSWER")
        #expect(warnings.count == 1 && warnings[0].contains("entry 1 is damaged; rebuilding it from line 1"))
    }

    @Test(
        "journal values too large for what holds them are an error naming the line, never a trap",
        arguments: [
            (#""seq":18446744073709551615"#, "seq 18446744073709551615 is out of range"),
            (#""seq":9007199254740992"#, "seq 9007199254740992 is out of range"),
            (#""seq":1"#, "seq 1 does not follow seq 1"),
            (#""webhook":9223372036854775808"#, "webhook 9223372036854775808 is out of range"),
            (#""response_code":99999999999999999999"#, "number out of range")
        ])
    func outOfRangeValues(value: String, problem: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 3)
        try FileManager.default.removeItem(atPath: path + ".idx")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let key = String(value.prefix { $0 != ":" })
        let old = try #require(lines[1].range(of: key + #":[0-9a-z]+"#, options: .regularExpression))
        lines[1].replaceSubrange(old, with: value)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            _ = try replay(path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("corrupt at line 2") && text.contains(problem)
        }
    }

    @Test("a complete last line that does not parse is damage: refused by name and never cut away")
    func completeBadLastLineKept() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 3)
        try FileManager.default.removeItem(atPath: path + ".idx")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: #""outcome":"accepted""#, with: #""outcome":"maybe""#)
        let damaged = lines.joined(separator: "\n") + "\n"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(damaged != text)
        try damaged.write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            _ = try replay(path)
        } throws: { "\($0)".contains("corrupt at line 3 (unknown outcome") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == damaged, "the line is still there")
    }
}

@Suite("Hostile files in the webhooks folder are listed as broken, never read whole or waited on")
struct HostileWebhookFileTests {
    @Test("a FIFO and a huge sparse file are refused at once with the reason")
    func fifoAndHugeFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/5.json", 0o600) == 0)
        let fd = open(dir + "/6.json", O_WRONLY | O_CREAT, 0o600)
        #expect(ftruncate(fd, 3 << 30) == 0)
        close(fd)
        try #"{"id": 7, "name": "ok", "url": "https://x/{{mid}}"}"#.write(toFile: dir + "/7.json", atomically: true, encoding: .utf8)
        let started = Date()
        let entries = WebhookFolder(path: dir).load()
        #expect(Date().timeIntervalSince(started) < 5)
        let problems = entries.compactMap { e -> String? in
            if case .failure(let f) = e.content { return "\(WebhookFolder.fileName(e.path)): \(f.problem)" }
            return nil
        }
        #expect(problems == ["5.json: not a regular file", "6.json: 3221225472 bytes is too large for a webhook file (at most 1048576)"])
        #expect(entries.contains { $0.id == 7 && (try? $0.content.get()) != nil })
    }
}

@Suite("A journal damaged or cut under a running receiver is noticed, and pages stay valid")
struct LiveJournalDamageTests {
    @Test("a record whose line was damaged on disk is left out of a page and named, the rest served")
    func damagedLineSkipped() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let recorder = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 0)
        for i in 0..<5 { try recorder.record(sampleRecord(mid: "m-\(i)")) }
        // Flip a quote inside line 3 to a NUL, as bit rot would.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
        bytes[lineStarts[2] + 40] = 0
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: bytes)
        try handle.close()
        for query in [ReportQuery(), ReportQuery(text: "m-")] {
            let page = recorder.lines(matching: query, limit: 100)
            #expect(page.unreadable == [3])
            #expect(try page.lines.map { try DeliveryRecord(json: $0).seq } == [1, 2, 4, 5])
        }
    }

    @Test(
        "a journal cut short under the receiver (copytruncate) is reported with the sizes; the delivery in hand gets 503, later ones are written where they can be read"
    )
    func truncatedUnderUs() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let reports = Mutex<[String]>([])
        let recorder = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 0) { m in
            reports.withLock { $0.append(m) }
        }
        for _ in 0..<3 { try recorder.record(sampleRecord()) }
        #expect(truncate(path, 0) == 0)
        // Its line was placed for the old length: refused, never acknowledged and then unreadable.
        #expect(throws: JournalError.self) { try recorder.record(sampleRecord()) }
        for _ in 0..<3 { try recorder.record(sampleRecord()) }
        let told = reports.withLock { $0 }
        #expect(told.contains { $0.contains("was cut from") && $0.contains("while calldash runs") }, "\(told)")
        #expect(told.contains { $0.contains("the lines after this start at its new end") }, "\(told)")
        #expect(recorder.journalProblem?.contains("was cut from") == true)
        let snap = recorder.store.snapshot()
        #expect(snap[3].outcome == .rejected && snap[3].responseCode == 503)
        for i in 4..<7 {
            #expect(try recorder.record(for: snap[i]).seq == UInt64(i + 1), "delivery \(i + 1), written after the cut, reads back")
        }
        #expect(lines(of: path).count == 3, "only the lines written after the cut are in the file")
    }

    @Test(
        "a journal cut inside a line under the receiver: the part line is cut off, later lines are not glued onto it, and the next start loads the lines before the cut and after it"
    )
    func cutInsideALineThenRestart() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        let reports = Mutex<[String]>([])
        do {
            let recorder = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 0) { m in
                reports.withLock { $0.append(m) }
            }
            for i in 0..<4 { try recorder.record(sampleRecord(mid: "before-\(i + 1)")) }
            let kept = lines(of: path).prefix(2).map { $0.utf8.count + 1 }.reduce(0, +)
            // Cut in the middle of line 3, as a careless `truncate -s` would.
            #expect(truncate(path, off_t(kept + 25)) == 0)
            #expect(throws: JournalError.self) { try recorder.record(sampleRecord(mid: "refused")) }
            for i in 0..<3 { try recorder.record(sampleRecord(mid: "after-\(i + 1)")) }
            let snap = recorder.store.snapshot()
            for i in 5..<8 { #expect(try recorder.record(for: snap[i]).fields[.mid] == "after-\(i - 4)") }
        }
        let told = reports.withLock { $0 }
        #expect(told.contains { $0.contains("the 25 bytes after its last whole line were cut off") }, "\(told)")
        #expect(lines(of: path).count == 5, "lines 1–2 and the three written after the cut, each on its own line")
        let (_, snap, warnings) = try replay(path)
        #expect((0..<snap.count).map { snap[$0].fields[.mid] } == ["before-1", "before-2", "after-1", "after-2", "after-3"])
        #expect((0..<snap.count).map { snap[$0].seq } == [1, 2, 6, 7, 8])
        #expect(warnings.allSatisfy { !$0.contains("corrupt") }, "\(warnings)")
    }
}
