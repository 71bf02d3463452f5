import Testing

@testable import CallDashCore

@Suite("The store keeps the newest reports, bounded, readable while it grows")
struct ReportStoreTests {
    @Test("a summary comes back exactly as stored, every field and its location")
    func roundTrip() {
        let store = ReportStore(capacity: 10)
        var s = summary(seq: 7)
        s.fields[.recordingURL] = "https://r.example/é😀.mp3"
        s.fields[.from] = ""
        s.webhook = 12
        s.error = "why"
        s.location = .inline(Array("{\"seq\":7}".utf8))
        store.append(s)
        #expect(store.snapshot()[0] == s)
    }

    @Test("over capacity the oldest leave first and the counts follow", arguments: [1, 3, 1024, 1500])
    func evictsOldest(capacity: Int) {
        let store = ReportStore(capacity: capacity)
        let total = 3000
        for i in 1...total { store.append(summary(seq: UInt64(i), status: i % 3 == 0 ? "BUSY" : "ANSWER")) }
        let snap = store.snapshot()
        #expect(snap.count == capacity)
        #expect(snap.firstSeq == UInt64(total - capacity + 1))
        #expect(snap.lastSeq == UInt64(total))
        #expect((0..<snap.count).allSatisfy { snap.seq(at: $0) == UInt64(total - capacity + 1 + $0) })
        let busyHeld = (total - capacity + 1...total).filter { $0 % 3 == 0 }.count
        #expect(snap.counts.stored(.busy) == busyHeld)
        #expect(snap.counts.stored(.answer) == capacity - busyHeld)
        #expect(snap.counts.received == UInt64(total))
    }

    @Test("a snapshot does not change while the writer keeps appending")
    func snapshotIsStable() {
        let store = ReportStore(capacity: 5000)
        for i in 1...1500 { store.append(summary(seq: UInt64(i))) }
        let before = store.snapshot()
        for i in 1501...6000 { store.append(summary(seq: UInt64(i))) }
        #expect(before.count == 1500)
        #expect(before.lastSeq == 1500)
        #expect(before[1499].fields[.mid] == "m-1500")
        #expect(store.snapshot().firstSeq == 1001)
        #expect(store.version == 6000)
    }

    @Test("reading everything after a seq finds the first newer report and pages forward")
    func afterSeq() {
        let store = ReportStore(capacity: 100)
        for i in 1...250 { store.append(summary(seq: UInt64(i), status: i.isMultiple(of: 2) ? "ANSWER" : "BUSY")) }
        let snap = store.snapshot()
        #expect(snap.index(afterSeq: 0) == 0)
        #expect(snap.index(afterSeq: 150) == 0)
        #expect(snap.index(afterSeq: 151) == 1)
        #expect(snap.index(afterSeq: 200) == 50)
        #expect(snap.index(afterSeq: 250) == 100)
        let page = snap.summaries(after: 200, limit: 5) { $0.fields[.status] == "BUSY" }
        #expect(page.map(\.seq) == [201, 203, 205, 207, 209])
    }

    @Test("readers on other threads see consistent snapshots while one writer appends")
    func concurrentReaders() async {
        let store = ReportStore(capacity: 2000)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for i in 1...20_000 { store.append(summary(seq: UInt64(i))) }
                return true
            }
            for _ in 0..<3 {
                group.addTask {
                    var ok = true
                    for _ in 0..<200 {
                        let s = store.snapshot()
                        guard s.count > 0 else { continue }
                        // Seqs are contiguous and the last summary decodes to its own seq.
                        ok = ok && s.lastSeq! - s.firstSeq! + 1 == UInt64(s.count) && s[s.count - 1].seq == s.lastSeq
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
        #expect(store.snapshot().count == 2000)
    }

    @Test("rejected deliveries are counted and held like any other")
    func rejectedCounted() {
        let store = ReportStore(capacity: 2)
        store.append(summary(seq: 1, status: nil, outcome: .rejected))
        store.append(summary(seq: 2))
        store.append(summary(seq: 3, status: "WEIRD"))
        let c = store.counts
        #expect(c.rejected == 1 && c.accepted == 2)
        #expect(c.storedRejected == 0)
        #expect(c.stored(.other) == 1)
        #expect(c.stored(.none) == 0)
    }

    @Test("status and outcome can be read for filtering without decoding each report")
    func fastFilterFields() {
        let store = ReportStore(capacity: 100)
        let statuses: [String?] = ["ANSWER", "BUSY", nil, "SOMETHING", "CHANUNAVAIL"]
        for (i, status) in statuses.enumerated() {
            store.append(summary(seq: UInt64(i + 1), status: status, outcome: status == nil ? .rejected : .accepted))
        }
        let snap = store.snapshot()
        #expect((0..<snap.count).map { snap.statusCode(at: $0) } == [0, 2, CallStatus.none, CallStatus.other, 6])
        #expect((0..<snap.count).map { snap.isRejected(at: $0) } == [false, false, true, false, false])
        #expect((0..<snap.count).allSatisfy { snap.statusCode(at: $0) == snap[$0].statusCode })
    }

    @Test("report queries filter on status, outcome and text anywhere")
    func queries() {
        let r = sampleRecord(status: "BUSY")
        #expect(ReportQuery(statuses: ["busy"]).matches(r))
        #expect(!ReportQuery(statuses: ["ANSWER"]).matches(r))
        #expect(ReportQuery(text: "9876543").matches(r))
        #expect(ReportQuery(text: "ACK/RECEIVE").matches(r))
        #expect(!ReportQuery(text: "nowhere").matches(r))
        #expect(!ReportQuery(outcome: .rejected).matches(r))
    }
}
