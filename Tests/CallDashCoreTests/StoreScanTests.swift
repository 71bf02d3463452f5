import Testing

@testable import CallDashCore

@Suite("Scanning the store in place")
struct StoreScanTests {
    /// 3,000 reports over three chunks, with fields of every length around the 16-byte step.
    static let store: ReportStore = {
        let store = ReportStore()
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("abcXYZ0123456789-_ .:/")
        for seq in 1...3000 {
            var f = ReportFields()
            for field in ReportField.allCases where rng.next() % 4 != 0 {
                let n = Int(rng.next() % 40)
                f[field] = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            f[.status] = ["ANSWER", "BUSY", "NOANSWER", "Weird"][seq % 4]
            store.append(
                ReportSummary(
                    seq: UInt64(seq), receivedAt: Timestamp(millis: Int64(seq)), responseCode: seq % 50 == 0 ? 400 : 200,
                    outcome: seq % 50 == 0 ? .rejected : .accepted, method: "POST", error: seq % 50 == 0 ? "bad JSON at byte 3" : nil,
                    webhook: nil, fields: f, location: .journal(offset: UInt64(seq), length: 1)))
        }
        return store
    }()

    func naive(_ all: [ReportSummary], _ f: StoreFilter, _ text: String) -> [UInt64] {
        all.filter { s in
            if f.rejectedOnly && s.outcome != .rejected { return false }
            if f.statusSlots != 0 && f.statusSlots & (1 << StatusSlot(code: s.statusCode).rawValue) == 0 { return false }
            let parts = [s.method] + (s.error.map { [$0] } ?? []) + s.fields.present.map(\.value)
            return text.isEmpty || parts.contains { $0.lowercased().contains(text.lowercased()) }
        }.map(\.seq)
    }

    @Test func scanFindsExactlyWhatDecodingEveryReportFinds() {
        let snap = Self.store.snapshot()
        let all = (0..<snap.count).map { snap[$0] }
        var needles = [
            "", "a", "X", "xyz", "0-", "busy", "ANSWER", "weird", "post", "byte 3", "::", "a b", "1234567890abcdefghij", "nothing-here"
        ]
        // Needles cut from real values, in other case, including ones longer than a 16-byte step.
        for i in stride(from: 5, to: 3000, by: 97) {
            if let v = snap[i].fields.present.last?.value, v.count > 3 {
                needles.append(String(v.dropFirst(1)).uppercased())
            }
        }
        for text in needles {
            for f in [StoreFilter(text: text), StoreFilter(statusSlots: 1 << 2, text: text), StoreFilter(rejectedOnly: true, text: text)] {
                var got: [UInt64] = []
                snap.scan(f) { got.append($0.seq) }
                #expect(got == naive(all, f, text), "needle \"\(text)\"")
            }
        }
    }

    @Test func scanFromAnIndexSeesOnlyLaterReports() {
        let snap = Self.store.snapshot()
        var got: [UInt64] = []
        snap.scan(from: 2990, StoreFilter()) { got.append($0.seq) }
        #expect(got == Array(2991...3000))
    }

    @Test func textSearchFoldsASCIICaseOnly() {
        let hay = Array("Straße ANSWER busy".utf8)
        hay.withUnsafeBufferPointer { p in
            #expect(TextSearch.find(Array("answer".utf8), in: p, from: 0) == 8)
            #expect(TextSearch.find(Array("straße".utf8), in: p, from: 0) == 0)
            #expect(TextSearch.find(Array("busy".utf8), in: p, from: 16) == nil)
        }
    }
}
