import DequeModule
import Synchronization

/// The in-memory store: bounded by `capacity` (oldest leave first), one writer, many readers.
///
/// Readers take a `StoreSnapshot`, an immutable copy-on-write view, under a lock held for a
/// few pointer copies; they then read it at leisure without blocking the writer.
public final class ReportStore: Sendable {
    public let capacity: Int
    private let state: Mutex<StoreState>

    public init(capacity: Int = 1_000_000, expectedBytesPerSummary: Int = 224) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        state = Mutex(StoreState(expectedBytesPerSummary: expectedBytesPerSummary))
    }

    /// Adds a report, evicting the oldest when over capacity.
    public func append(_ summary: ReportSummary) {
        state.withLock { $0.append(summary, capacity: capacity) }
    }

    /// Adds one summary already packed by `SummaryCodec`.
    func append(packed entry: UnsafeBufferPointer<UInt8>) {
        state.withLock { $0.append(packed: entry, capacity: capacity) }
    }

    /// Adds summaries already packed by `SummaryCodec` (a journal index), under one lock.
    func append(packed entries: [UnsafeBufferPointer<UInt8>]) {
        state.withLock { st in
            for p in entries { st.append(packed: p, capacity: capacity) }
        }
    }

    /// Bumped by every append; a reader compares it to know whether to take a new snapshot.
    public var version: UInt64 { state.withLock { $0.version } }

    public var counts: StoreCounts { state.withLock { $0.counts } }

    /// The seq of the oldest report held; nil when the store is empty.
    public var oldestSeq: UInt64? {
        state.withLock { st in st.count > 0 ? st.chunks[0].seq(at: st.dropFront) : nil }
    }

    public func snapshot() -> StoreSnapshot {
        state.withLock { StoreSnapshot(state: $0) }
    }
}

struct StoreState: Sendable {
    var chunks: Deque<StoreChunk> = []
    /// Summaries already evicted from the front of `chunks.first`.
    var dropFront = 0
    var count = 0
    var version: UInt64 = 0
    var counts = StoreCounts()
    let expectedBytesPerSummary: Int

    init(expectedBytesPerSummary: Int) {
        self.expectedBytesPerSummary = expectedBytesPerSummary
    }

    mutating func append(_ summary: ReportSummary, capacity: Int) {
        newChunkIfFull()
        chunks[chunks.count - 1].append(summary)
        counted(capacity: capacity)
    }

    mutating func append(packed: UnsafeBufferPointer<UInt8>, capacity: Int) {
        newChunkIfFull()
        chunks[chunks.count - 1].append(packed: packed)
        counted(capacity: capacity)
    }

    private mutating func newChunkIfFull() {
        if chunks.isEmpty || chunks[chunks.count - 1].isFull {
            chunks.append(StoreChunk(expectedBytesPerSummary: expectedBytesPerSummary))
        }
    }

    /// Counts the summary just added (read back from its packed bytes) and evicts if over capacity.
    private mutating func counted(capacity: Int) {
        let last = chunks[chunks.count - 1]
        let i = last.offsets.count - 1
        count += 1
        version &+= 1
        counts.received += 1
        if last.isRejected(at: i) {
            counts.rejected += 1
            counts.storedRejected += 1
        } else {
            counts.accepted += 1
        }
        // A provider's retry is held and listed, but counted once: as its original.
        if last.isDuplicate(at: i) {
            counts.storedDuplicates += 1
        } else {
            counts.count(StatusSlot(code: last.statusCode(at: i)), by: 1)
        }
        while count > capacity { evictOldest() }
    }

    private mutating func evictOldest() {
        let first = chunks[0]
        if first.isDuplicate(at: dropFront) {
            counts.storedDuplicates -= 1
        } else {
            counts.count(StatusSlot(code: first.statusCode(at: dropFront)), by: -1)
        }
        if first.isRejected(at: dropFront) { counts.storedRejected -= 1 }
        dropFront += 1
        count -= 1
        if dropFront == first.offsets.count && (first.isFull || chunks.count > 1) {
            chunks.removeFirst()
            dropFront = 0
        }
    }
}

/// An immutable view of the store at one version. Index 0 is the oldest report held.
public struct StoreSnapshot: Sendable {
    let state: StoreState

    public var count: Int { state.count }
    public var version: UInt64 { state.version }
    public var counts: StoreCounts { state.counts }

    func locate(_ i: Int) -> (chunk: Int, item: Int) {
        let p = state.dropFront + i
        return (p / StoreChunk.capacity, p % StoreChunk.capacity)
    }

    public subscript(i: Int) -> ReportSummary {
        precondition(i >= 0 && i < count, "index out of range")
        let (c, k) = locate(i)
        return state.chunks[c].summary(at: k)
    }

    public func seq(at i: Int) -> UInt64 {
        let (c, k) = locate(i)
        return state.chunks[c].seq(at: k)
    }

    /// The call-status code of the i-th report, read without decoding it.
    public func statusCode(at i: Int) -> UInt8 {
        let (c, k) = locate(i)
        return state.chunks[c].statusCode(at: k)
    }

    public func isRejected(at i: Int) -> Bool {
        let (c, k) = locate(i)
        return state.chunks[c].isRejected(at: k)
    }

    /// Where the i-th report's record lies in the journal, read without decoding it.
    func journalLine(at i: Int) -> (offset: UInt64, length: UInt64)? {
        let (c, k) = locate(i)
        return state.chunks[c].journalLine(at: k)
    }

    public var firstSeq: UInt64? { count > 0 ? seq(at: 0) : nil }
    public var lastSeq: UInt64? { count > 0 ? seq(at: count - 1) : nil }

    /// Index of the first report whose seq is greater than `seq` (binary search: seqs ascend).
    public func index(afterSeq seq: UInt64) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self.seq(at: mid) <= seq { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Up to `limit` reports with seq > `after`, ascending, that pass `include`.
    public func summaries(after: UInt64 = 0, limit: Int = .max, where include: (ReportSummary) -> Bool = { _ in true }) -> [ReportSummary] {
        var out: [ReportSummary] = []
        var i = index(afterSeq: after)
        while i < count, out.count < limit {
            let s = self[i]
            if include(s) { out.append(s) }
            i += 1
        }
        return out
    }
}
