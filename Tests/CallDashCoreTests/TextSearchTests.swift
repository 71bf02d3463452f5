import Foundation
import Testing

@testable import CallDashCore

@Suite("A text search over the journal finds exactly what reading every record would")
struct TextSearchTests {
    @Test(
        "the byte scan of journal lines gives the same pages as decoding every record",
        arguments: [
            "busy", "BUSY", "m-17", "919800", "value", "zz-none", "caf", "/hook", "x-api", "é", "a\"b", "ANSWER", "rÉ"
        ])
    func sameAsReference(text: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = Recorder(store: ReportStore(capacity: 10_000), journal: try Journal(path: dir + "/j.jsonl"), lastSeq: 0)
        for i in 0..<3000 {
            var r = sampleRecord(status: ["ANSWER", "busy", "Busy", "NOANSWER"][i % 4], mid: "m-\(i)")
            r.fields[.to] = "91980\(i)"
            r.path = i % 7 == 0 ? "/Hook/\(i)" : "/ack"
            if i % 11 == 0 { r.raw = [0xFF, 0xFE] + Array("CAFÉ value".utf8) }
            if i % 13 == 0 { r.extra = [NameValue("note", "Ré a\"b é")] }
            if i % 17 == 0 { r.headers = [NameValue("X-Api-Key", "k")] }
            try recorder.record(r)
        }
        let query = ReportQuery(text: text)
        let snapshot = recorder.store.snapshot()
        let reference = (0..<snapshot.count).compactMap { k -> UInt64? in
            let record = try? recorder.record(for: snapshot[k])
            return record.map(query.matches) == true ? record?.seq : nil
        }
        for limit in [5, 10_000] {
            let found = recorder.lines(matching: query, limit: limit)
            let seqs = try found.lines.map { try DeliveryRecord(json: $0).seq }
            #expect(seqs == Array(reference.prefix(limit)), "q=\(text) limit \(limit)")
            #expect(found.unreadable.isEmpty)
        }
    }
}

@Suite("A page of records is bounded in bytes as well as in count")
struct PageSizeTests {
    @Test("records with 1 MiB bodies come in pages of about 32 MiB, and paging on with after gets the rest")
    func largeRecordsArePaged() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = Recorder(store: ReportStore(capacity: 100), journal: try Journal(path: dir + "/j.jsonl"), lastSeq: 0)
        let body = String(repeating: "x", count: 1 << 20)
        for i in 0..<40 { try recorder.record(sampleRecord(mid: "big-\(i)", raw: body)) }
        var seen: [UInt64] = []
        var after: UInt64 = 0
        for query in [ReportQuery(), ReportQuery(text: "big-")] {
            seen = []
            after = 0
            while true {
                let page = recorder.lines(matching: query, after: after, limit: 10_000)
                guard !page.lines.isEmpty else { break }
                #expect(page.lines.count < 40 && page.bytes < Recorder.maxPageBytes + (2 << 20))
                let seqs = try page.lines.map { try DeliveryRecord(json: $0).seq }
                seen += seqs
                after = seqs.last!
            }
            #expect(seen == Array(1...40))
        }
    }
}
