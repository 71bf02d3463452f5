/// Counts of one group of calls: a breakdown value, a bucket, or all of them.
struct GroupTally: Sendable {
    var calls = 0
    var answered = 0
    /// Answered calls with a whole-number duration, and the sum of those durations.
    var timed = 0
    var talk = 0
    var statuses: [TextKey: Int] = [:]

    mutating func add(status: TextKey, answered isAnswered: Bool, duration: Int?) {
        calls += 1
        statuses[status, default: 0] += 1
        guard isAnswered else { return }
        answered += 1
        if let duration {
            timed += 1
            talk += duration
        }
    }

    mutating func merge(_ o: GroupTally) {
        calls += o.calls
        answered += o.answered
        timed += o.timed
        talk += o.talk
        statuses.merge(o.statuses, uniquingKeysWith: +)
    }
}

/// What one pass over part of the store adds up, read from the packed bytes without building
/// Strings; parts scanned on different cores are merged in store order.
struct StatsTally: Sendable {
    var all = GroupTally()
    var short = 0
    var duplicates = 0
    var rejected = 0
    var unparseableTimes = 0
    /// The first spelling of each status, as the provider sent it.
    var spelling: [TextKey: String] = [:]
    var groups: [[TextKey: GroupTally]]
    var starts: [Int64] = []
    var ends: [Int64] = []
    /// Per bucket of the series, from the window's first bucket.
    var buckets: [GroupTally]

    init(dimensions: Int, buckets: Int) {
        groups = Array(repeating: [:], count: dimensions)
        self.buckets = Array(repeating: GroupTally(), count: buckets)
    }

    mutating func merge(_ later: StatsTally) {
        all.merge(later.all)
        short += later.short
        duplicates += later.duplicates
        rejected += later.rejected
        unparseableTimes += later.unparseableTimes
        spelling.merge(later.spelling) { first, _ in first }
        for d in groups.indices {
            groups[d].merge(later.groups[d]) {
                var a = $0
                a.merge($1)
                return a
            }
        }
        starts += later.starts
        ends += later.ends
        for b in buckets.indices { buckets[b].merge(later.buckets[b]) }
    }

    static let answer = TextKey("ANSWER")
    static let empty = TextKey("")

    /// Adds the reports of `snapshot[range]` received in `[from, to]` (milliseconds).
    mutating func add(
        _ snapshot: StoreSnapshot, _ range: Range<Int>, query: StatsQuery, from: Int64?, to: Int64, seriesStart: Int64, bucketMillis: Int64
    ) {
        var parts = [UnsafeBufferPointer<UInt8>?](repeating: nil, count: ReportField.allCases.count)
        snapshot.scan(from: range.lowerBound, to: range.upperBound, StoreFilter()) { r in
            let at = r.receivedAtMillis
            guard at <= to, from.map({ at >= $0 }) ?? true else { return }
            if r.isRejected {
                rejected += 1
                return
            }
            if r.isDuplicate {
                duplicates += 1
                return
            }
            for i in parts.indices { parts[i] = nil }
            SummaryCodec.forEachText(r.bytes, at: r.start) { part, v in
                if case .field(let f) = part { parts[f.index] = v }
                return true
            }
            let status = parts[ReportField.status.index].map { TextKey($0, normalized: true) } ?? Self.empty
            if spelling[status] == nil {
                spelling[status] = parts[ReportField.status.index].map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
            let answered = status == Self.answer
            let duration = parts[ReportField.duration.index].flatMap(PackedReport.integer)
            all.add(status: status, answered: answered, duration: duration)
            if answered, let duration, duration < query.short { short += 1 }

            let start = parts[ReportField.startAt.index]
            let startSeconds = start.flatMap(Self.providerTime)
            let endSeconds = parts[ReportField.endAt.index].flatMap(Self.providerTime)
            if let s = startSeconds, let e = endSeconds, e >= s {
                starts.append(s)
                ends.append(e)
            } else if start != nil || parts[ReportField.endAt.index] != nil {
                unparseableTimes += 1
            }
            for (d, dimension) in query.by.enumerated() {
                let key: TextKey
                switch dimension {
                case .field(.status): key = status // compared ignoring case and spaces, as everywhere
                case .field(let f): key = parts[f.index].map { TextKey($0) } ?? Self.empty
                case .hour: key = startSeconds != nil ? TextKey(UnsafeBufferPointer(rebasing: start![11..<13])) : Self.empty
                case .date: key = startSeconds != nil ? TextKey(UnsafeBufferPointer(rebasing: start![0..<10])) : Self.empty
                case .webhook: key = r.webhook.map { TextKey(String($0)) } ?? Self.empty
                }
                groups[d][key, default: GroupTally()].add(status: status, answered: answered, duration: duration)
            }
            if bucketMillis > 0, at >= seriesStart {
                let b = Int((at - seriesStart) / bucketMillis)
                if buckets.indices.contains(b) { buckets[b].add(status: status, answered: answered, duration: duration) }
            }
        }
    }

    /// Seconds of a provider time "YYYY-MM-DD HH:MM:SS" (its own clock, compared only with its
    /// own other times); nil for anything else.
    static func providerTime(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard v.count == 19 else { return nil }
        return Timestamp.civilSeconds(v, separator: 0x20)
    }

    /// The most calls in progress at one moment: a call runs from its start up to, not
    /// including, its end (one ending as another starts is not two at once).
    static func peak(starts: [Int64], ends: [Int64]) -> Int {
        let s = starts.sorted()
        let e = ends.sorted()
        var (i, j, now, most) = (0, 0, 0, 0)
        while i < s.count {
            if s[i] < e[j] {
                now += 1
                most = max(most, now)
                i += 1
            } else {
                now -= 1
                j += 1
            }
        }
        return most
    }
}
