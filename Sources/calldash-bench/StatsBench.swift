import ArgumentParser
import CallDashCore
import CallDashUI
import Foundation

/// The campaign figures on a full store of campaign-shaped reports: what `/_calldash/stats`
/// computes, what the Campaign screen recomputes off the UI thread and then draws, and what
/// telling retries apart costs each delivery. Baselines from the same run: a bare pass over the
/// store reading one byte per report, and the recorder's own cost per delivery.
struct StatsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Measure campaign statistics, the Campaign screen and duplicate detection.")

    @Option(help: "Reports in the store.")
    var count = 1_000_000

    func run() throws {
        // Campaign-shaped reports, parsed as the receiver parses them.
        var generator = SyntheticReports(seed: 42, campaignShape: true)
        let parser = DeliveryParser()
        let now = Timestamp.now()
        var records: [DeliveryRecord] = []
        records.reserveCapacity(count)
        for n in 0..<count {
            let body = generator.next(now: now)
            let parsed = try parser.parse(query: [], contentType: "application/json", body: body)
            records.append(
                DeliveryRecord(
                    receivedAt: Timestamp(millis: now.millis - Int64(count - n) * 50), method: "POST", path: "/ack",
                    contentType: "application/json",
                    fields: parsed.fields, raw: body))
        }

        // Recording every delivery (no journal), against fingerprinting and checking alone.
        let recorder = Recorder(store: ReportStore(capacity: count), journal: nil, lastSeq: 0)
        var t0 = ContinuousClock.now
        for r in records { try recorder.record(r) }
        let recordEach = (ContinuousClock.now - t0).seconds / Double(count)
        var index = DuplicateIndex(capacity: count)
        var repeats = 0
        t0 = ContinuousClock.now
        for (n, r) in records.enumerated() where index.check(FieldFingerprint(r.fields), seq: UInt64(n + 1), oldestHeld: { nil }) != nil {
            repeats += 1
        }
        let dupEach = (ContinuousClock.now - t0).seconds / Double(count)
        let snap = recorder.store.snapshot()
        print(
            "duplicate detection per delivery: \(us(dupEach)) µs (\(repeats) retries found in \(count)); the recorder's whole work per delivery \(us(recordEach)) µs: \(pct(dupEach / recordEach)) of it"
        )

        let scan = UIBench.median(5) {
            var n = 0
            for i in 0..<snap.count where snap.statusCode(at: i) == 2 { n += 1 }
            precondition(n >= 0)
        }
        let api = try StatsQuery(parameters: [("by", "flow_id"), ("series", "1m")])
        var bytes = 0
        let stats = UIBench.median(5) { bytes = (try? CampaignStats.compute(snap, api, now: now).json().count) ?? 0 }
        print(
            "/_calldash/stats?by=flow_id&series=1m over \(snap.count) reports, computed and encoded (\(bytes) bytes): \(UIBench.ms(stats)) ms, median of 5; \(String(format: "%.1f", stats / scan))x a bare pass reading each status byte (\(UIBench.ms(scan)) ms)"
        )

        var s = UIBench.state(recorder)
        let jobs = s.update(.key(.char("a"))).compactMap { if case .computeStats(let job) = $0 { job } else { nil } }
        guard let job = jobs.first else { throw ValidationError("the Campaign screen asked for no figures") }
        t0 = ContinuousClock.now
        var result = job.run()
        let opening = (ContinuousClock.now - t0).seconds
        _ = s.update(.statsComputed(result))
        // Then, once a second, as the dashboard does while 20,000 reports a second arrive (the
        // store full: as many leave): the figures kept for full chunks are merged, the rest counted.
        var clock = Timestamp(millis: Timestamp.now().millis + 1_000)
        var recomputes: [Double] = []
        // The receiver keeps one cache for /_calldash/stats: a client asking each second.
        let apiCache = StatsCache()
        _ = try CampaignStats.compute(recorder.store.snapshot(), api, now: clock, cache: apiCache)
        var asks: [Double] = []
        for _ in 0..<7 {
            for k in 0..<20_000 {
                let parsed = try parser.parse(query: [], contentType: "application/json", body: generator.next(now: clock))
                try recorder.record(
                    DeliveryRecord(
                        receivedAt: Timestamp(millis: clock.millis - 1_000 + Int64(k / 20)), method: "POST", path: "/ack",
                        contentType: "application/json", fields: parsed.fields))
            }
            _ = s.update(.storeChanged(recorder.store.snapshot(), now: clock))
            for case .computeStats(let job) in s.update(.frame) {
                t0 = ContinuousClock.now
                result = job.run()
                recomputes.append((ContinuousClock.now - t0).seconds)
                _ = s.update(.statsComputed(result))
            }
            t0 = ContinuousClock.now
            bytes = try CampaignStats.compute(recorder.store.snapshot(), api, now: clock, cache: apiCache).json().count
            asks.append((ContinuousClock.now - t0).seconds)
            clock = Timestamp(millis: clock.millis + 1_000)
        }
        guard recomputes.count == 7 else { throw ValidationError("the Campaign screen recomputed \(recomputes.count) times in 7 seconds") }
        let recompute = recomputes.sorted()[3]
        let ask = asks.sorted()[3]
        print(
            "/_calldash/stats?by=flow_id&series=1m asked again each second while 20,000 reports a second arrive: \(UIBench.ms(ask)) ms, median of 7 (max \(UIBench.ms(asks.max() ?? 0)) ms)"
        )
        print(
            "Campaign screen figures off the UI thread (window all, by flow_id, 1m bars): \(UIBench.ms(opening)) ms on opening; recomputed each second while 20,000 reports a second arrive: \(UIBench.ms(recompute)) ms, median of 7 (max \(UIBench.ms(recomputes.max() ?? 0)) ms)"
        )

        let campaignFrame = UIBench.frames(&s)
        var calls = s
        _ = calls.update(.key(.escape))
        let callsFrame = UIBench.frames(&calls).median
        let frame = campaignFrame.median
        print(
            "Campaign frame 120x40 into the cell buffer: \(UIBench.ms(frame)) ms (p99 \(UIBench.ms(campaignFrame.p99)) ms), median of 200; the Calls frame of the same store \(UIBench.ms(callsFrame)) ms"
        )
        print(
            "RESULT dup_us=\(us(dupEach)) record_us=\(us(recordEach)) stats_ms=\(UIBench.ms(stats)) scan_ms=\(UIBench.ms(scan)) stats_again_ms=\(UIBench.ms(ask)) opening_ms=\(UIBench.ms(opening)) recompute_ms=\(UIBench.ms(recompute)) campaign_frame_ms=\(UIBench.ms(frame)) calls_frame_ms=\(UIBench.ms(callsFrame))"
        )
    }

    func us(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1_000_000) }
    func pct(_ r: Double) -> String { String(format: "%.1f%%", r * 100) }
}
