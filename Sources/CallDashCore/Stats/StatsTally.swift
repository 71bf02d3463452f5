#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts of one group of calls: a breakdown value, a bucket, or all of them.
struct GroupTally: Sendable {
    var calls = 0
    var answered = 0
    /// Answered calls with a whole-number duration, and the sum of those durations.
    var timed = 0
    var talk = 0
    /// Calls per status, as the tally's `StatusNames` number them: the known ones and none in
    /// place (no allocation, no copy on write per report), the others after them.
    var known = InlineArray<8, Int>(repeating: 0)
    var others: [Int] = []

    @inline(__always) mutating func add(status: Int, duration: Int?) {
        calls += 1
        add(1, status: status)
        guard status == StatusNames.answer else { return }
        answered += 1
        if let duration {
            timed += 1
            talk += duration
        }
    }

    /// Calls per status number.
    var statuses: [Int] { (0..<8).map { known[$0] } + others }

    /// Adds `o`, whose status numbers become `remap[n]` here.
    mutating func merge(_ o: GroupTally, remap: [Int]) {
        calls += o.calls
        answered += o.answered
        timed += o.timed
        talk += o.talk
        for n in 0..<8 where o.known[n] > 0 { add(o.known[n], status: remap[n]) }
        for (k, c) in o.others.enumerated() where c > 0 { add(c, status: remap[k + 8]) }
    }

    @inline(__always) private mutating func add(_ c: Int, status: Int) {
        if status < 8 {
            known[status] += c
        } else {
            if status - 8 >= others.count { others += Array(repeating: 0, count: status - 8 + 1 - others.count) }
            others[status - 8] += c
        }
    }
}

/// The statuses a tally has seen, numbered: the known ones by their slot (read from the packed
/// status byte, no text needed), no status as 7, any other by its text compared ignoring case
/// and spaces. Each keeps its first spelling.
struct StatusNames: Sendable {
    static let answer = StatusSlot.answer.rawValue
    static let none = StatusSlot.other.rawValue // 7: the slots before it are the known statuses
    var keys: [TextKey] = CallStatus.allCases.map { TextKey($0.rawValue) } + [TextKey("")]
    var spelling: [String?] = Array(repeating: nil, count: CallStatus.allCases.count + 1)
    var others: [TextKey: Int] = [:]
    private var spelled: UInt64 = 0

    /// The number of a report's status, `text` being its bytes (nil when it has none).
    @inline(__always) mutating func number(code: UInt8, text: UnsafeBufferPointer<UInt8>?) -> Int {
        let n: Int
        if code < CallStatus.allCases.count {
            n = Int(code)
        } else if let text {
            let key = TextKey(text, normalized: true)
            n = key == keys[Self.none] ? Self.none : number(of: key)
        } else {
            n = Self.none
        }
        // The first spelling only: a bit per known status says it is taken (no String touched after).
        if n < 64, spelled & (1 << n) != 0 { return n }
        if spelling[n] == nil { spelling[n] = text.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        if n < 64 { spelled |= 1 << n }
        return n
    }

    /// Other statuses counted one by one; later new ones count as one more (a million distinct
    /// statuses must not make every group's counts a million long).
    static let maxOthers = 64
    static let moreStatuses = TextKey("(other statuses)")

    mutating func number(of key: TextKey) -> Int {
        if let n = others[key] { return n }
        if others.count >= Self.maxOthers, key != Self.moreStatuses { return number(of: Self.moreStatuses) }
        keys.append(key)
        spelling.append(key == Self.moreStatuses ? key.string : nil)
        others[key] = keys.count - 1
        return keys.count - 1
    }

    /// Adds a later part's statuses; returns where its numbers go here.
    mutating func merge(_ later: StatusNames) -> [Int] {
        later.keys.indices.map { n in
            let to = n <= Self.none ? n : number(of: later.keys[n])
            if spelling[to] == nil { spelling[to] = later.spelling[n] }
            return to
        }
    }

    func name(_ n: Int) -> String { spelling[n] ?? keys[n].string }

    /// The number of a status key already seen.
    func index(of key: TextKey) -> Int? { keys.prefix(Self.none + 1).firstIndex(of: key) ?? others[key] }
}

/// What one pass over part of the store adds up, read from the packed bytes without building
/// Strings; parts scanned on different cores are merged in store order.
struct StatsTally: Sendable {
    var all = GroupTally()
    var short = 0
    var duplicates = 0
    var rejected = 0
    var unparseableTimes = 0
    var names = StatusNames()
    /// Per breakdown: each value's group, numbered in the order first seen.
    var groupIndex: [[TextKey: Int]]
    var groups: [[(key: TextKey, tally: GroupTally)]]
    /// Each call's start and end (seconds), as runs: this part's own, then those merged into
    /// it, kept apart rather than copied into one (a million calls: 16 MB not moved per merge).
    var starts: [Int64] = []
    var ends: [Int64] = []
    var mergedTimes: [(starts: [Int64], ends: [Int64])] = []
    /// Per bucket of the series, from bucket number `firstBucket` (`received_at` divided by
    /// the bucket's length).
    var buckets: [GroupTally]
    var firstBucket: Int64

    init(dimensions: Int, buckets: Int, firstBucket: Int64 = 0) {
        groupIndex = Array(repeating: [:], count: dimensions)
        groups = Array(repeating: [], count: dimensions)
        self.buckets = Array(repeating: GroupTally(), count: buckets)
        self.firstBucket = firstBucket
    }

    mutating func merge(_ later: StatsTally) {
        let remap = names.merge(later.names)
        all.merge(later.all, remap: remap)
        short += later.short
        duplicates += later.duplicates
        rejected += later.rejected
        unparseableTimes += later.unparseableTimes
        for d in groups.indices {
            // Keys are texts (a status's normalized), the same in every part.
            for g in later.groups[d] { groups[d][group(d, g.key)].tally.merge(g.tally, remap: remap) }
        }
        mergedTimes.append((later.starts, later.ends))
        mergedTimes += later.mergedTimes
        // A later part's buckets may start elsewhere (a chunk's own span): those outside are not shown.
        for (n, b) in later.buckets.enumerated() where b.calls > 0 {
            let here = later.firstBucket + Int64(n) - firstBucket
            if here >= 0, here < buckets.count { buckets[Int(here)].merge(b, remap: remap) }
        }
    }

    static let empty = TextKey("")
    static let longestCall = 10_000_000
    /// Values a breakdown tracks one by one; later new ones are summed as one more group, so that
    /// a million distinct `mid`s cost a bounded amount of memory (they are "others" anyway).
    static let maxGroups = 100_000
    static let moreValues = TextKey("\u{0}more")

    /// The group of `key` in breakdown `d`, made when new. A few values (flows, bridges, hours)
    /// are found by comparing in order, faster than hashing; many, through the index.
    @inline(__always) mutating func group(_ d: Int, _ key: TextKey) -> Int {
        if groups[d].count <= 16 {
            for i in groups[d].indices where groups[d][i].key == key { return i }
        } else if let i = groupIndex[d][key] {
            return i
        }
        if groups[d].count >= Self.maxGroups {
            if let i = groupIndex[d][Self.moreValues] { return i }
            groupIndex[d][Self.moreValues] = groups[d].count
            groups[d].append((Self.moreValues, GroupTally()))
            return groups[d].count - 1
        }
        groupIndex[d][key] = groups[d].count
        groups[d].append((key, GroupTally()))
        return groups[d].count - 1
    }

    /// Adds the reports of `snapshot[range]` received in `[from, to]` (milliseconds), into
    /// buckets of `bucketMillis` (none when 0).
    mutating func add(_ snapshot: StoreSnapshot, _ range: Range<Int>, query: StatsQuery, from: Int64, to: Int64, bucketMillis: Int64) {
        withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>?.self, capacity: ReportField.allCases.count) { parts in
            add(snapshot, range, query: query, from: from, to: to, bucketMillis: bucketMillis, parts: parts)
        }
    }

    /// `add`, with room for one report's field bytes (reused from report to report).
    private mutating func add(
        _ snapshot: StoreSnapshot, _ range: Range<Int>, query: StatsQuery, from: Int64, to: Int64, bucketMillis: Int64,
        parts: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>?>
    ) {
        let seriesStart = firstBucket * bucketMillis
        snapshot.scan(from: range.lowerBound, to: range.upperBound, StoreFilter()) { r in
            let at = r.receivedAtMillis
            guard at <= to, at >= from else { return }
            if r.isRejected {
                rejected += 1
                return
            }
            if r.isDuplicate {
                duplicates += 1
                return
            }
            SummaryCodec.fields(r.bytes, at: r.start, into: parts)
            let status = names.number(code: r.statusCode, text: parts[ReportField.status.index])
            // A talk time over 115 days is not one: left out, so that sums cannot overflow.
            let duration = parts[ReportField.duration.index].flatMap(PackedReport.integer).flatMap { $0 <= Self.longestCall ? $0 : nil }
            all.add(status: status, duration: duration)
            if status == StatusNames.answer, let duration, duration < query.short { short += 1 }

            let start = parts[ReportField.startAt.index]
            let startSeconds = start.flatMap(Self.providerTime)
            let endSeconds = parts[ReportField.endAt.index].flatMap { end in Self.providerTime(end, sameDayAs: start, at: startSeconds) }
            if let s = startSeconds, let e = endSeconds, e >= s {
                starts.append(s)
                ends.append(e)
            } else if start != nil || parts[ReportField.endAt.index] != nil {
                unparseableTimes += 1
            }
            for (d, dimension) in query.by.enumerated() {
                let key: TextKey
                switch dimension {
                case .field(.status): key = names.keys[status] // compared ignoring case and spaces, as everywhere
                case .field(let f): key = parts[f.index].map { TextKey($0) } ?? Self.empty
                case .hour: key = startSeconds != nil ? TextKey(UnsafeBufferPointer(rebasing: start![11..<13])) : Self.empty
                case .date: key = startSeconds != nil ? TextKey(UnsafeBufferPointer(rebasing: start![0..<10])) : Self.empty
                case .webhook: key = r.webhook.map { TextKey(String($0)) } ?? Self.empty
                }
                groups[d][group(d, key)].tally.add(status: status, duration: duration)
            }
            if bucketMillis > 0, at >= seriesStart {
                let b = Int((at - seriesStart) / bucketMillis)
                if b < buckets.count { buckets[b].add(status: status, duration: duration) }
            }
        }
    }

    /// Seconds of a provider time "YYYY-MM-DD HH:MM:SS" (its own clock, compared only with its
    /// own other times); nil for anything else.
    static func providerTime(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard v.count == 19 else { return nil }
        return Timestamp.civilSeconds(v, separator: 0x20)
    }

    /// `providerTime(v)`, quicker for a call that ends on the day it started (`day` being that
    /// start's text and `seconds`): only the time of day is read.
    @inline(__always) static func providerTime(
        _ v: UnsafeBufferPointer<UInt8>, sameDayAs day: UnsafeBufferPointer<UInt8>?, at seconds: Int64?
    ) -> Int64? {
        guard v.count == 19, let day, day.count == 19, let seconds, memcmp(v.baseAddress!, day.baseAddress!, 11) == 0 else {
            return providerTime(v)
        }
        guard v[13] == 0x3A, v[16] == 0x3A, let h = Timestamp.digits(v, 11..<13), let m = Timestamp.digits(v, 14..<16),
            let s = Timestamp.digits(v, 17..<19), h < 24, m < 60, s < 61
        else { return nil }
        return seconds - seconds.floorDivided(by: 86_400).1 + (h * 60 + m) * 60 + s
    }

    /// The most calls in progress at one moment: a call runs from its start up to, not
    /// including, its end (one ending as another starts is not two at once). Over a span of
    /// up to 60 days, a count per second does it in one pass; a longer one sorts.
    var peak: Int {
        let runs = [(starts, ends)] + mergedTimes
        guard let lo = runs.compactMap({ $0.starts.min() }).min(), let hi = runs.compactMap({ $0.ends.max() }).max() else { return 0 }
        if hi - lo <= 60 * 86_400 {
            var change = [Int32](repeating: 0, count: Int(hi - lo) + 2)
            for run in runs {
                for s in run.starts { change[Int(s - lo)] += 1 }
                for e in run.ends { change[Int(e - lo)] -= 1 }
            }
            var (now, most) = (0, 0)
            for c in change {
                now += Int(c)
                most = max(most, now)
            }
            return most
        }
        let s = runs.flatMap(\.starts).sorted()
        let e = runs.flatMap(\.ends).sorted()
        var (i, j, now, most) = (0, 0, 0, 0)
        while i < s.count {
            // Every end may be passed before the last start (a zero-length call last of all).
            if j == e.count || s[i] < e[j] {
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
