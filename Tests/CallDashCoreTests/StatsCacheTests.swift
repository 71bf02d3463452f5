import Testing

@testable import CallDashCore

/// Campaign-shaped reports received 50 ms apart from `first`, with now and then a status
/// spelled oddly, a clock set back a day or a report from the future.
private func record(_ r: Recorder, _ count: Int, from first: Int, _ g: inout SyntheticReports) throws {
    let base = Timestamp(millis: 1_795_773_600_000)
    for n in first..<(first + count) {
        let parsed = try DeliveryParser().parse(query: [], contentType: "application/json", body: g.next(now: base))
        var fields = parsed.fields
        if n % 97 == 0 { fields[.status] = " answer " }
        if n % 211 == 0 { fields[.status] = "Weird \(n % 3)" }
        var at = base.millis + Int64(n) * 50
        if n == 2_500 { at -= 86_400_000 }
        if n % 1_777 == 0 { at += 3_600_000 }
        try r.record(
            DeliveryRecord(receivedAt: Timestamp(millis: at), method: "POST", path: "/", contentType: "application/json", fields: fields))
    }
}

private let queries: [StatsQuery] = {
    var bars = StatsQuery(by: [.field(.flowID)], series: .oneMinute, top: 200)
    bars.seriesSpan = 60 * 40
    return [
        bars,
        StatsQuery(since: 90, by: [.field(.status), .hour], series: .oneMinute, top: 3),
        StatsQuery(by: [.field(.bridge), .field(.mid)], series: .fiveMinutes, short: 20, top: 5),
        StatsQuery(since: 400, by: [.date])
    ]
}()

@Suite("Campaign figures kept between computations")
struct StatsCacheTests {
    @Test("figures from kept chunks equal a fresh count, while reports arrive, old ones are evicted and the question changes")
    func keptEqualsFresh() throws {
        let r = Recorder(store: ReportStore(capacity: 5_000), journal: nil, lastSeq: 0)
        var g = SyntheticReports(seed: 5, campaignShape: true)
        // One cache per question, kept across rounds (as the Campaign screen keeps its own), and
        // one shared by all of them (as the receiver's is).
        let caches = queries.map { _ in StatsCache() }
        let shared = StatsCache()
        var next = 0
        for round in 0..<6 {
            try record(r, 1_300, from: next, &g)
            next += 1_300
            let snapshot = r.store.snapshot()
            let now = Timestamp(millis: 1_795_773_600_000 + Int64(next) * 50 + 1_000)
            for (query, cache) in zip(queries, caches) {
                let fresh = try CampaignStats.compute(snapshot, query, now: now)
                #expect(try CampaignStats.compute(snapshot, query, now: now, cache: cache) == fresh, "round \(round), \(query.by)")
                #expect(try CampaignStats.compute(snapshot, query, now: now, cache: shared) == fresh, "round \(round), \(query.by), shared")
                #expect(cache.chunksKept <= snapshot.count / StoreChunk.capacity, "only full chunks still held are kept")
                if round > 0, !query.by.contains(.field(.mid)) {
                    #expect(cache.chunksKept >= 2, "round \(round), \(query.by): kept chunks were used, not a fresh count each time")
                }
            }
        }
        #expect(r.store.counts.received == 7_800 && r.store.snapshot().count == 5_000, "the oldest were evicted")
        #expect(caches[2].chunksKept == 0, "a breakdown by mid is not kept")
    }

    @Test("a breakdown with a value per call (mid) is counted afresh on every computation, not kept")
    func perCallValuesNotKept() throws {
        let r = Recorder(store: ReportStore(capacity: 10_000), journal: nil, lastSeq: 0)
        var g = SyntheticReports(seed: 3, campaignShape: true)
        try record(r, 4_200, from: 3_000, &g)
        let cache = StatsCache()
        let now = Timestamp(millis: 1_795_773_600_000 + 7_200 * 50 + 1_000)
        let query = StatsQuery(by: [.field(.mid)], series: .oneMinute, top: 10)
        for _ in 0..<2 {
            #expect(
                try CampaignStats.compute(r.store.snapshot(), query, now: now, cache: cache)
                    == CampaignStats.compute(r.store.snapshot(), query, now: now))
        }
        #expect(cache.chunksKept == 0)
        // Another question on the same cache is kept again.
        _ = try CampaignStats.compute(r.store.snapshot(), StatsQuery(by: [.field(.flowID)]), now: now, cache: cache)
        #expect(cache.chunksKept == 4)
    }

    @Test("a chunk with more odd statuses than can be numbered apart is not kept: the figures stay those of a fresh count")
    func manyOddStatusesNotKept() throws {
        let r = Recorder(store: ReportStore(capacity: 10_000), journal: nil, lastSeq: 0)
        for n in 0..<2_100 {
            var f = ReportFields()
            f[.status] = n < 1_024 ? "ANSWER" : "odd-\(n % 90)"
            f[.mid] = "m-\(n)"
            try r.record(
                DeliveryRecord(receivedAt: Timestamp(millis: 1_795_773_600_000 + Int64(n) * 20), method: "POST", path: "/", fields: f))
        }
        let cache = StatsCache()
        let now = Timestamp(millis: 1_795_773_600_000 + 2_100 * 20 + 1_000)
        let query = StatsQuery(by: [.field(.status)], top: 100)
        #expect(
            try CampaignStats.compute(r.store.snapshot(), query, now: now, cache: cache)
                == CampaignStats.compute(r.store.snapshot(), query, now: now))
        #expect(cache.chunksKept == 0)
    }

    @Test("a chunk whose reports span more than 64 bars (a clock set back) is counted afresh, not kept")
    func wideChunkNotKept() throws {
        let r = Recorder(store: ReportStore(capacity: 10_000), journal: nil, lastSeq: 0)
        var g = SyntheticReports(seed: 9, campaignShape: true)
        try record(r, 3_100, from: 0, &g) // three full chunks; the third holds the report from a day before
        let cache = StatsCache()
        let now = Timestamp(millis: 1_795_773_600_000 + 3_100 * 50 + 1_000)
        let query = StatsQuery(by: [.field(.flowID)], series: .oneMinute)
        let kept = try CampaignStats.compute(r.store.snapshot(), query, now: now, cache: cache)
        #expect(kept == (try CampaignStats.compute(r.store.snapshot(), query, now: now)))
        #expect(cache.chunksKept == 2)
    }
}
