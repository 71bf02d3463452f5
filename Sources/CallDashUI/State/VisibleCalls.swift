import CallDashCore

/// Which reports the list shows, and how they are ordered.
public struct CallFilter: Equatable, Sendable {
    /// The status slots to show; empty shows all.
    public var statuses: Set<StatusSlot> = []
    public var rejectedOnly = false
    /// Provider retries only (deliveries with `duplicate_of`).
    public var duplicatesOnly = false
    /// The search: `field=value` words (exact, ignoring case) and text that must appear in a
    /// field, the method or the error (case-insensitive).
    public var text = ""

    public init(statuses: Set<StatusSlot> = [], rejectedOnly: Bool = false, duplicatesOnly: Bool = false, text: String = "") {
        self.statuses = statuses
        self.rejectedOnly = rejectedOnly
        self.duplicatesOnly = duplicatesOnly
        self.text = text
    }

    public var isEmpty: Bool { statuses.isEmpty && !rejectedOnly && !duplicatesOnly && text.isEmpty }

    /// The free text of the search, without its `field=value` words: what a match highlights.
    public var freeText: String { SearchText(text).free }

    /// The same filter in the store's terms, for a scan over packed reports.
    var storeFilter: StoreFilter {
        StoreFilter(
            statusSlots: statuses.reduce(0) { $0 | UInt16(1) << $1.rawValue }, rejectedOnly: rejectedOnly, duplicatesOnly: duplicatesOnly,
            text: text)
    }

    /// True when everything this filter keeps, `other` keeps too (so `self` can be applied to
    /// `other`'s result instead of the whole store).
    func narrows(_ other: CallFilter) -> Bool {
        let (mine, theirs) = (SearchText(text), SearchText(other.text))
        let termsKept = theirs.terms.allSatisfy { t in
            mine.terms.contains { $0.field == t.field && $0.value.lowercased() == t.value.lowercased() }
        }
        return statuses == other.statuses && rejectedOnly == other.rejectedOnly && duplicatesOnly == other.duplicatesOnly && termsKept
            && mine.free.lowercased().contains(theirs.free.lowercased())
    }
}

/// What the list can be ordered by.
public enum SortKey: String, CaseIterable, Sendable {
    case time, duration, status

    /// The direction a user expects first: newest, longest, then statuses in their usual order.
    var descendingByDefault: Bool { self != .status }

    /// The list column it sorts by, whose title shows the direction.
    var column: CallColumn? {
        switch self {
        case .time: .receivedAt
        case .duration: .field(.duration)
        case .status: .field(.status)
        }
    }
}

/// The reports passing the filter, as sort keys in ascending order. A key is the sort value in
/// its high bits and the seq in its low 40, so ties fall back to arrival order and the seq is
/// always recoverable without touching the store.
public struct VisibleCalls: Sendable {
    public private(set) var keys: [UInt64] = []
    public private(set) var filter = CallFilter()
    public private(set) var sort = SortKey.time
    /// The newest seq already considered, so a refresh only looks at later arrivals.
    private var scannedUpTo: UInt64 = 0
    /// The oldest seq the store held at the last refresh, to notice evictions.
    private var oldestHeld: UInt64 = 0

    static let seqBits: UInt64 = 40
    static let seqMask: UInt64 = (1 << seqBits) - 1

    public init() {}

    public var count: Int { keys.count }

    public static func seq(ofKey k: UInt64) -> UInt64 { k & seqMask }

    /// Recomputes from scratch, or from the current result when the new filter only narrows it.
    public mutating func apply(_ newFilter: CallFilter, sort newSort: SortKey, to snapshot: StoreSnapshot) {
        if newSort == sort, newFilter.narrows(filter), scannedUpTo == (snapshot.lastSeq ?? 0), keys.count < snapshot.count / 8 {
            // Few kept: check just those again rather than scanning the whole store.
            let f = newFilter.storeFilter
            keys.removeAll { k in
                guard let i = snapshot.index(ofSeq: Self.seq(ofKey: k)) else { return true }
                return !snapshot.withReport(at: i) { f.matches($0) }
            }
        } else {
            keys = Self.collect(newFilter, newSort, snapshot, from: 0)
            if newSort != .time { keys.sort() }
        }
        filter = newFilter
        sort = newSort
        scannedUpTo = snapshot.lastSeq ?? 0
        oldestHeld = snapshot.firstSeq ?? 0
    }

    /// Takes in arrivals since the last call and drops evicted reports. Returns how many were added.
    @discardableResult
    public mutating func refresh(_ snapshot: StoreSnapshot) -> Int {
        let first = snapshot.firstSeq ?? 0
        if first > oldestHeld, !keys.isEmpty {
            if sort == .time {
                keys.removeFirst(keys.partitionPoint { $0 >= first })
            } else {
                keys.removeAll { Self.seq(ofKey: $0) < first }
            }
        }
        oldestHeld = first
        let start = snapshot.index(afterSeq: scannedUpTo)
        var added = Self.collect(filter, sort, snapshot, from: start)
        scannedUpTo = snapshot.lastSeq ?? scannedUpTo
        guard !added.isEmpty else { return 0 }
        if sort == .time || (keys.last ?? 0) < (added.min() ?? 0) {
            added.sort()
            keys.append(contentsOf: added)
        } else {
            added.sort()
            keys = Self.merge(keys, added)
        }
        return added.count
    }

    /// Where the report with `seq` stands in `keys`, if it is shown.
    public func position(ofSeq seq: UInt64, in snapshot: StoreSnapshot) -> Int? {
        let key: UInt64
        if sort == .time {
            key = seq
        } else {
            guard let i = snapshot.index(ofSeq: seq) else { return nil }
            key = snapshot.withReport(at: i) { Self.key(sort, $0) }
        }
        let p = keys.partitionPoint { $0 >= key }
        return p < keys.count && keys[p] == key ? p : nil
    }

    static func key(_ sort: SortKey, _ r: PackedReport) -> UInt64 {
        let seq = r.seq & seqMask
        switch sort {
        case .time: return seq
        case .duration:
            let d = r.durationSeconds.map { UInt64(min($0, (1 << 22) - 2)) + 1 } ?? 0
            return d << seqBits | seq
        case .status: return UInt64(StatusSlot(code: r.statusCode).rawValue) << seqBits | seq
        }
    }

    private static func collect(_ f: CallFilter, _ sort: SortKey, _ s: StoreSnapshot, from start: Int) -> [UInt64] {
        s.collect(from: start, f.storeFilter) { key(sort, $0) }
    }

    private static func merge(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] <= b[j] {
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }
}

extension Array where Element == UInt64 {
    /// The first index whose element satisfies `pred`, which must be false then true along the array.
    func partitionPoint(_ pred: (UInt64) -> Bool) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pred(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// A typed search to run off the UI thread: the calls shown, the filter and the store as they
/// were when it started. Two jobs are the same job when they search for the same thing.
public struct SearchJob: Sendable, Equatable {
    public var calls: VisibleCalls
    public var filter: CallFilter
    public var snapshot: StoreSnapshot

    /// The calls passing `filter`, in the order shown (the slow part: on any thread).
    public func run() -> VisibleCalls {
        var v = calls
        v.apply(filter, sort: calls.sort, to: snapshot)
        return v
    }

    public static func == (a: SearchJob, b: SearchJob) -> Bool { a.filter == b.filter }
}
