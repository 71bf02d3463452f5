import Dispatch
import Synchronization

/// How many calls had one status (named as the provider spelled it first).
public struct StatusCount: Equatable, Sendable {
    public var status: String
    public var calls: Int
}

/// The figures of one group of calls: a breakdown value, or "others".
public struct StatsRow: Equatable, Sendable {
    public var value: String
    public var calls: Int
    public var answered: Int
    public var asr: Double
    public var acdSeconds: Double
    public var statuses: [StatusCount]
}

/// One breakdown: its values, most calls first, and the rest summed.
public struct StatsBreakdown: Equatable, Sendable {
    public var dimension: StatsDimension
    public var rows: [StatsRow]
    /// The values past `top`, summed (value "others"); nil when every value is listed.
    public var others: StatsRow?
    /// Distinct values counted one by one (at most 100,000 a core)…
    public var distinctValues: Int
    /// …and whether there were more, summed in "others" without being told apart.
    public var moreValues = false
}

extension StatsBreakdown {
    /// The rows as every form lists them: the values, then "others" when there is one.
    public var listed: [(row: StatsRow, isOthers: Bool)] { rows.map { ($0, false) } + (others.map { [($0, true)] } ?? []) }

    /// The values summed in "others".
    public var otherValues: Int { distinctValues - rows.count }
}

/// Arrivals per bucket over the window, empty buckets included.
public struct StatsSeries: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var start: Timestamp
        public var calls: Int
        public var statuses: [StatusCount]
    }
    public var bucket: SeriesBucket
    public var points: [Point]
}

/// The campaign figures of PRODUCT.md ("Campaign statistics") over the accepted, non-duplicate
/// deliveries held, within a window of `received_at`.
public struct CampaignStats: Equatable, Sendable {
    public var since: Int64?
    public var from: Timestamp?
    public var to: Timestamp
    public var calls = 0
    public var answered = 0
    public var asr = 0.0
    public var acdSeconds = 0.0
    public var talkSeconds = 0
    public var shortThreshold = 6
    public var short = 0
    public var sdr = 0.0
    public var peakConcurrent = 0
    public var duplicates = 0
    public var rejected = 0
    /// Calls whose start or end time is not the provider's "YYYY-MM-DD HH:MM:SS" (or ends
    /// before it starts): left out of the time-based figures.
    public var unparseableTimes = 0
    public var statuses: [StatusCount] = []
    public var lastReportAt: Timestamp?
    public var breakdowns: [StatsBreakdown] = []
    public var series: StatsSeries?

    /// Computes `query` over `snapshot` at `now`; a large store is split across the cores. With
    /// a `cache`, what full chunks add is kept for the next computation of the same breakdowns.
    public static func compute(
        _ snapshot: StoreSnapshot, _ query: StatsQuery, now: Timestamp, cache: StatsCache? = nil
    ) throws(StatsQueryError) -> CampaignStats {
        let to = now.millis
        let from: Int64? = query.since.map { to - $0 * 1000 }
        let oldest: Int64? = snapshot.count > 0 ? snapshot[0].receivedAt.millis : nil
        var firstBucket: Int64 = 0
        var bucketCount = 0
        var bucketMillis: Int64 = 0
        // An empty store has no bars over "everything held"; a window's bars start with it.
        let seriesFrom = (from ?? oldest).map { start in query.seriesSpan.map { max(to - $0 * 1000, start) } ?? start }
        if let bucket = query.series, let first = seriesFrom {
            bucketMillis = bucket.seconds * 1000
            firstBucket = first.floorDivided(by: bucketMillis).0
            let points = to.floorDivided(by: bucketMillis).0 - firstBucket + 1
            guard points <= Int64(StatsQuery.maxPoints) else {
                throw StatsQueryError(
                    parameter: "series",
                    problem:
                        "\(bucket.rawValue) bars over this window would be \(points); at most \(StatsQuery.maxPoints) (a larger bucket or a shorter since)"
                )
            }
            bucketCount = Int(max(0, points))
        }
        let tally =
            cache?.tally(
                snapshot, query, from: from ?? .min, to: to, firstBucket: firstBucket, buckets: bucketCount, bucketMillis: bucketMillis)
            ?? Self.tally(
                snapshot, query, from: from ?? .min, to: to, firstBucket: firstBucket, buckets: bucketCount, bucketMillis: bucketMillis)
        let seriesStart = firstBucket * bucketMillis

        var s = CampaignStats(since: query.since, from: from.map(Timestamp.init(millis:)) ?? oldest.map(Timestamp.init(millis:)), to: now)
        s.shortThreshold = query.short
        s.calls = tally.all.calls
        s.answered = tally.all.answered
        s.asr = ratio(tally.all.answered, tally.all.calls)
        s.acdSeconds = tally.all.timed > 0 ? Double(tally.all.talk) / Double(tally.all.timed) : 0
        s.talkSeconds = tally.all.talk
        s.short = tally.short
        s.sdr = ratio(tally.short, tally.all.answered)
        s.peakConcurrent = tally.peak
        s.duplicates = tally.duplicates
        s.rejected = tally.rejected
        s.unparseableTimes = tally.unparseableTimes
        let names = tally.names
        s.statuses = statusCounts(tally.all.statuses, names)
        s.lastReportAt = snapshot.count > 0 ? snapshot[snapshot.count - 1].receivedAt : nil
        for (d, dimension) in query.by.enumerated() {
            let capped = tally.groups[d].first { $0.key == StatsTally.moreValues }
            let sorted = tally.groups[d].filter { $0.key != StatsTally.moreValues }.map { g in
                (
                    value: dimension == .field(.status) ? names.index(of: g.key).map(names.name) ?? g.key.string : g.key.string,
                    tally: g.tally
                )
            }
            .sorted { $0.tally.calls != $1.tally.calls ? $0.tally.calls > $1.tally.calls : $0.value < $1.value }
            let shown = sorted.prefix(query.top).map { row($0.value, $0.tally, names) }
            var rest = GroupTally()
            let same = Array(names.keys.indices)
            for g in sorted.dropFirst(query.top) { rest.merge(g.tally, remap: same) }
            if let capped { rest.merge(capped.tally, remap: same) }
            s.breakdowns.append(
                StatsBreakdown(
                    dimension: dimension, rows: shown, others: sorted.count > query.top || capped != nil ? row("others", rest, names) : nil,
                    distinctValues: sorted.count, moreValues: capped != nil))
        }
        if let bucket = query.series {
            s.series = StatsSeries(
                bucket: bucket,
                points: tally.buckets.enumerated().map { n, b in
                    StatsSeries.Point(
                        start: Timestamp(millis: seriesStart + Int64(n) * bucketMillis), calls: b.calls,
                        statuses: statusCounts(b.statuses, names))
                })
        }
        return s
    }

    /// Every report counted afresh, in two halves on the two cores when there are many.
    static func tally(
        _ snapshot: StoreSnapshot, _ query: StatsQuery, from: Int64, to: Int64, firstBucket: Int64, buckets: Int, bucketMillis: Int64
    ) -> StatsTally {
        let parts = snapshot.count >= 100_000 ? 2 : 1
        let results = Mutex<[StatsTally?]>(Array(repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = snapshot.count * part / parts
            let hi = snapshot.count * (part + 1) / parts
            var t = StatsTally(dimensions: query.by.count, buckets: buckets, firstBucket: firstBucket)
            t.add(snapshot, lo..<hi, query: query, from: from, to: to, bucketMillis: bucketMillis)
            results.withLock { $0[part] = t }
        }
        let tallies = results.withLock { $0 }.compactMap { $0 }
        var tally = tallies[0]
        for later in tallies.dropFirst() { tally.merge(later) }
        return tally
    }

    static func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }

    static func row(_ value: String, _ g: GroupTally, _ names: StatusNames) -> StatsRow {
        StatsRow(
            value: value, calls: g.calls, answered: g.answered, asr: ratio(g.answered, g.calls),
            acdSeconds: g.timed > 0 ? Double(g.talk) / Double(g.timed) : 0, statuses: statusCounts(g.statuses, names))
    }

    /// Most calls first; a status spelled five ways counts once, under its first spelling.
    static func statusCounts(_ counts: [Int], _ names: StatusNames) -> [StatusCount] {
        counts.enumerated().filter { $0.element > 0 }.map { StatusCount(status: names.name($0.offset), calls: $0.element) }
            .sorted { $0.calls != $1.calls ? $0.calls > $1.calls : $0.status < $1.status }
    }
}
