import Foundation
import Synchronization
import Testing

@testable import CallDashCore

/// Writes `count` deliveries through a recorder, as one run of the receiver would, then closes it.
private func writeJournal(_ path: String, count: Int, firstSeq: UInt64 = 0) throws {
    let recorder = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: firstSeq)
    for i in 0..<count { try recorder.record(sampleRecord(status: i % 2 == 0 ? "ANSWER" : "BUSY", mid: "m-\(firstSeq + UInt64(i) + 1)")) }
}

private func replay(_ path: String) throws -> (ReplayResult, StoreSnapshot, [String]) {
    let store = ReportStore()
    let warnings = Mutex<[String]>([])
    let result = try JournalReplay.replay(path: path, into: store) { w in warnings.withLock { $0.append(w) } }
    return (result, store.snapshot(), warnings.withLock { $0 })
}

@Suite("The journal index makes restarts fast without ever trusting it blindly")
struct JournalIndexTests {
    @Test("a replay from the index gives exactly what parsing the journal gives")
    func indexMatchesFullParse() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 3000)
        let (fromIndex, indexed, _) = try replay(path)
        try FileManager.default.removeItem(atPath: path + ".idx")
        let (parsed, full, warnings) = try replay(path)
        #expect(warnings.isEmpty)
        #expect(fromIndex == parsed)
        #expect(fromIndex.records == 3000 && fromIndex.lastSeq == 3000)
        #expect((0..<3000).allSatisfy { indexed[$0] == full[$0] })
        #expect(indexed.counts == full.counts)
    }

    @Test("lines the index does not cover yet are parsed and added to it")
    func tailIsParsed() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 10)
        // Drop the last three index entries, as if the process died between the two writes.
        let index = try Data(contentsOf: URL(fileURLWithPath: path + ".idx"))
        let (_, snap, _) = try replay(path)
        var entryEnds: [Int] = []
        var i = JournalIndex.magic.count
        while i < index.count {
            i += JournalIndex.entryHeader + Int(index[i]) + Int(index[i + 1]) << 8
            entryEnds.append(i)
        }
        #expect(entryEnds.count == 10)
        let keep = entryEnds[6] + 2 // seven whole entries and a torn piece of the eighth
        try index.prefix(keep).write(to: URL(fileURLWithPath: path + ".idx"))
        let (result, again, warnings) = try replay(path)
        #expect(warnings.isEmpty)
        #expect(result.records == 10 && result.lastSeq == 10)
        #expect(again[9] == snap[9])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + ".idx")).count == index.count)
    }

    @Test("an index that does not match its journal is rebuilt from the first entry that does not match, with a warning")
    func staleIndexRebuilt() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 20)
        let staleIndex = try Data(contentsOf: URL(fileURLWithPath: path + ".idx"))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.removeItem(atPath: path + ".idx")
        try writeJournal(path, count: 5, firstSeq: 100)
        try staleIndex.write(to: URL(fileURLWithPath: path + ".idx"))
        let (result, snap, warnings) = try replay(path)
        #expect(
            warnings.count == 1 && warnings[0].contains("entry 1 (seq 1) does not match line 1 of the journal; rebuilding it from line 1"))
        #expect(result.records == 5 && result.lastSeq == 105)
        #expect(snap[0].fields[.mid] == "m-101")
        #expect(try replay(path).2.isEmpty)
    }

    @Test("an index left behind by a deleted journal describes nothing")
    func orphanIndexRemoved() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.jsonl"
        try writeJournal(path, count: 4)
        try FileManager.default.removeItem(atPath: path)
        #expect(try replay(path).0 == ReplayResult())
        #expect(!FileManager.default.fileExists(atPath: path + ".idx"))
    }

    @Test("two receivers cannot share one journal")
    func journalIsLocked() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Journal(path: dir + "/journal.jsonl")
        #expect {
            _ = try Journal(path: dir + "/journal.jsonl")
        } throws: { "\($0)".contains("is in use by another calldash") }
        _ = first
    }
}
