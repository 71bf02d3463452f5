import Foundation
import Testing

@testable import CallDashCore

@Suite("A provider's retry is known as a duplicate of the report it repeats")
struct DuplicateTests {
    func journaled(_ dir: String, capacity: Int = 100) throws -> Recorder {
        let store = ReportStore(capacity: capacity)
        let result = try JournalReplay.replay(path: dir + "/journal.jsonl", into: store) { _ in }
        return Recorder(store: store, journal: try Journal(path: dir + "/journal.jsonl"), lastSeq: result.lastSeq)
    }

    @Test("a delivery whose standard fields all equal a held one's names it in duplicate_of: journaled, stored and read back")
    func retryIsMarked() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try journaled(dir)
        #expect(try r.record(sampleRecord()).record.duplicateOf == nil)
        #expect(try r.record(sampleRecord(status: "BUSY")).record.duplicateOf == nil, "one field differs")
        var retry = sampleRecord()
        retry.receivedAt = Timestamp(millis: retry.receivedAt.millis + 30_000)
        retry.headers.append(NameValue("X-Retry", "1"))
        let third = try r.record(retry)
        #expect(third.record.duplicateOf == 1, "only the standard fields count, not the time or headers")
        #expect(String(decoding: third.line, as: UTF8.self).hasPrefix("{\"seq\":3,\"duplicate_of\":1,"))
        #expect(try r.record(sampleRecord()).record.duplicateOf == 1, "a second retry names the original too")
        let snap = r.store.snapshot()
        #expect(snap[2].duplicateOf == 1 && snap[0].duplicateOf == nil)
        #expect(try r.record(for: snap[2]).duplicateOf == 1)
        var flags: [Bool] = []
        snap.scan(StoreFilter()) { flags.append($0.isDuplicate) }
        #expect(flags == [false, false, true, true])
    }

    @Test("after a restart a retry of a replayed report is still a duplicate, read from the journal with or without its index")
    func survivesRestart() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let r = try journaled(dir)
            try r.record(sampleRecord())
            try r.record(sampleRecord())
        }
        do {
            let r = try journaled(dir)
            #expect(r.store.snapshot()[1].duplicateOf == 1)
            #expect(try r.record(sampleRecord()).record.duplicateOf == 1)
        }
        try FileManager.default.removeItem(atPath: dir + "/journal.jsonl.idx")
        let r = try journaled(dir)
        #expect(r.store.snapshot()[2].duplicateOf == 1, "parsed from the line itself")
        #expect(try r.record(sampleRecord()).record.duplicateOf == 1)
    }

    @Test("a rejected delivery is never a duplicate nor an original, and an original that left the store is replaced by the next")
    func rejectedAndEvicted() throws {
        let r = Recorder(store: ReportStore(capacity: 2), journal: nil, lastSeq: 0)
        var bad = sampleRecord()
        bad.outcome = .rejected
        bad.responseCode = 400
        try r.record(bad)
        #expect(try r.record(sampleRecord()).record.duplicateOf == nil, "the rejected one does not count")
        try r.record(sampleRecord(mid: "other"))
        try r.record(sampleRecord(mid: "third")) // #2 leaves the store (capacity 2)
        #expect(try r.record(sampleRecord()).record.duplicateOf == nil, "#2 is no longer held: this one is the original now")
        #expect(try r.record(sampleRecord()).record.duplicateOf == 5)
    }

    @Test("the index of originals stays within the store's capacity")
    func indexIsBounded() {
        var index = DuplicateIndex(capacity: 10)
        for n in 1...1000 {
            var f = ReportFields()
            f[.mid] = "m\(n)"
            _ = index.check(FieldFingerprint(f), seq: UInt64(n), oldestHeld: { nil })
        }
        #expect(index.count == 10)
    }

    @Test("a journal written before duplicates were recorded reads as having none")
    func oldJournalLines() throws {
        let old =
            #"{"seq":4,"received_at":"2026-09-21T14:13:20.123Z","method":"POST","path":"/","query":[],"headers":[],"remote":"","content_type":null,"response_code":200,"outcome":"accepted","error":null,"fields":{"status":"ANSWER"},"extra":{},"raw":"","raw_encoding":"utf8","webhook":null}"#
        let record = try DeliveryRecord(json: Array(old.utf8))
        #expect(record.seq == 4 && record.duplicateOf == nil)
        let bad = old.replacingOccurrences(of: "\"seq\":4,", with: "\"seq\":4,\"duplicate_of\":18446744073709551615,")
        #expect(throws: JSONError.self) { try DeliveryRecord(json: Array(bad.utf8)) }
    }
}
