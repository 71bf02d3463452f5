import Foundation
import Synchronization
import Testing

@testable import CallDashCore

@Suite("A full disk never corrupts the journal or passes a refused delivery off as accepted")
struct FullDiskTests {
    @Test(
        "fill the disk, free it, restart: every acknowledged delivery is back, every refused one was shown as refused",
        .enabled(if: SmallDisk.canMount, "needs root to mount a small tmpfs"))
    func fillFreeRestart() async throws {
        let disk = try #require(SmallDisk(kilobytes: 512))
        let path = disk.path + "/journal.jsonl"
        let reports = Mutex<[String]>([])
        let store = ReportStore(capacity: 10_000)
        let recorder = Recorder(store: store, journal: try Journal(path: path), lastSeq: 0) { m in reports.withLock { $0.append(m) } }
        let seen = Mutex<[FeedEntry]>([])
        let feed = DeliveryFeed(whenFull: .stop) {}
        _ = recorder.subscribe(feed)
        func drain() { seen.withLock { $0 += feed.take().deliveries } }
        try disk.fill(leaving: 24 << 10)

        var acked: [UInt64] = []
        var refused: [UInt64] = []
        for i in 0..<200 {
            do {
                acked.append(try recorder.record(sampleRecord(mid: "full-\(i)")).record.seq)
            } catch {
                #expect(error.description.contains("No space left on device"))
                refused.append(UInt64(acked.count + refused.count + 1))
            }
            drain()
        }
        #expect(!acked.isEmpty && refused.count > 100)
        #expect(recorder.journalProblem?.contains("No space left on device") == true)

        try disk.free()
        // A run of failures counts as over after a second of good writes.
        try await Task.sleep(for: .milliseconds(1100))
        acked.append(try recorder.record(sampleRecord(mid: "after-first")).record.seq)
        for i in 0..<20 { acked.append(try recorder.record(sampleRecord(mid: "after-\(i)")).record.seq) }
        drain()
        #expect(recorder.journalProblem == nil)

        // Told once per episode, with the cause, and once when it was over.
        let told = reports.withLock { $0 }
        #expect(told.count == 2, "\(told)")
        #expect(told.first?.contains("No space left on device") == true && told.last?.contains("is written again") == true)

        // What subscribers were told matches what the clients were told.
        let events = try seen.withLock { $0 }.map { try DeliveryRecord(json: $0.line) }
        #expect(events.map(\.seq) == Array(1...UInt64(221)))
        for e in events {
            if refused.contains(e.seq) {
                #expect(e.outcome == .rejected && e.responseCode == 503)
            } else {
                #expect(e.outcome == .accepted && e.responseCode == 200)
            }
        }
        #expect(store.counts.accepted == UInt64(acked.count) && store.counts.rejected == UInt64(refused.count))

        // The journal holds exactly the acknowledged ones, whole, and a restart continues after them.
        let again = ReportStore()
        let result = try JournalReplay.replay(path: path, into: again) { Issue.record("warned: \($0)") }
        #expect(result.records == acked.count && result.lastSeq == 221)
        let snap = again.snapshot()
        #expect((0..<snap.count).map { snap.seq(at: $0) } == acked)
        try FileManager.default.removeItem(atPath: path + ".idx")
        #expect(try JournalReplay.replay(path: path, into: ReportStore()) { Issue.record("warned: \($0)") }.records == acked.count)
    }
}
