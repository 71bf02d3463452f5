import Foundation
import Testing

@testable import CallDashCore

/// Records `count` deliveries whose bodies range from a few bytes to 200 KB, so that the
/// journal's lines differ widely in length.
private func fill(_ r: Recorder, _ count: Int) throws {
    var g = SplitMix64(seed: 7)
    for n in 1...count {
        let pad = g.next() % 10 == 0 ? Int(g.next() % 200_000) : Int(g.next() % 300)
        let body = #"{"status":"ANSWER","mid":"m-\#(n)","note":"\#(String(repeating: "x", count: pad))"}"#
        try r.record(sampleRecord(mid: "m-\(n)", raw: body))
    }
}

private func seq(of lookup: Recorder.Lookup) -> UInt64? {
    guard case .line(let line) = lookup else { return nil }
    return try? DeliveryRecord(json: line).seq
}

@Suite("One record by its seq, from memory or the journal")
struct RecordLookupTests {
    @Test("every delivery is found by its seq, also after it left memory, and a seq never recorded is unknown with a reason")
    func everySeqFound() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = Recorder(store: ReportStore(capacity: 50), journal: try Journal(path: dir + "/j.jsonl"), lastSeq: 0)
        try fill(r, 1_500)
        #expect(r.store.snapshot().count == 50, "all but the newest 50 left memory")
        for n in UInt64(1)...1_500 { #expect(seq(of: r.record(seq: n)) == n) }
        let mid = try DeliveryRecord(json: { if case .line(let l) = r.record(seq: 700) { l } else { [] } }())
        #expect(mid.fields[.mid] == "m-700", "the record itself, not a neighbour")
        #expect(r.record(seq: 0) == .unknown("no delivery with seq 0: the last is 1500"))
        #expect(r.record(seq: 1_501) == .unknown("no delivery with seq 1501: the last is 1500"))
    }

    @Test("a damaged line or a line without a seq in the journal does not hide the others")
    func damagedLinesPassedOver() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/j.jsonl"
        do {
            let r = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 0)
            try fill(r, 400)
        }
        // A garbage line and a half-overwritten one in the middle, as a bad disk or an editor leaves them.
        var text = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        text.insert("garbage without a seq", at: 200)
        text[300] = "{\"sx" + text[300].dropFirst(4)
        try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        // A fresh receiver on that journal, nothing held in memory: every lookup bisects the file.
        let r = Recorder(store: ReportStore(capacity: 10), journal: try Journal(path: path), lastSeq: 400)
        for n in UInt64(1)...400 where n != 300 { #expect(seq(of: r.record(seq: n)) == n, "seq \(n)") }
        #expect(r.record(seq: 300) == .unknown("no delivery with seq 300 in the journal \(path) (it began after it, or the line is gone)"))
    }

    @Test("without a journal, a delivery that left memory is unknown, and says why")
    func noJournal() throws {
        let r = Recorder(store: ReportStore(capacity: 5), journal: nil, lastSeq: 0)
        for n in 1...8 { try r.record(sampleRecord(mid: "m-\(n)")) }
        #expect(seq(of: r.record(seq: 8)) == 8)
        #expect(r.record(seq: 2) == .unknown("no delivery with seq 2 is held: it left memory, and there is no journal (--no-journal)"))
    }
}
