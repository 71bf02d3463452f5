import DequeModule
import Synchronization

/// What a subscriber gets of a delivery: its seq and its JSON line (one reference to count, not
/// a whole record's worth: the queue is on ingest's path).
public struct FeedEntry: Sendable {
    public var seq: UInt64
    public var line: [UInt8]
    public var kind: Kind

    /// What happened to the delivery `seq`.
    public enum Kind: Sendable, Equatable {
        /// It was recorded; `line` is its record.
        case delivery
        /// It was forwarded to the user's app (again); `line` is `{"seq":N,"forward":{…}}`.
        case forward
    }

    public init(seq: UInt64, line: [UInt8], kind: Kind = .delivery) {
        self.seq = seq
        self.line = line
        self.kind = kind
    }
}

/// One subscriber's bounded queue of recorded deliveries: the recorder offers each delivery
/// in seq order under its lock (a cheap append), and the consumer takes them on its own
/// thread, so no consumer ever runs, blocks or closes anything inside the recorder.
public final class DeliveryFeed: Sendable {
    /// What happens when the consumer falls so far behind that the queue is full.
    public enum WhenFull: Sendable {
        /// Stop taking deliveries: the consumer ends after the ones it has (a stream tells
        /// its client where it stopped, so it can resume).
        case stop
        /// Drop the newest and count them: the consumer says how many it missed (stdout).
        case dropNewest
    }

    /// What a consumer takes out in one go.
    public struct Batch: Sendable {
        public var deliveries: [FeedEntry]
        /// Deliveries dropped (`.dropNewest`) since the last take, and the seqs they spanned.
        public var dropped: UInt64 = 0
        public var droppedSeqs: ClosedRange<UInt64>?
        /// True once the queue overflowed under `.stop` and every delivery before that is taken.
        public var ended = false
    }

    private struct State {
        var queue: Deque<FeedEntry> = []
        var bytes = 0
        var stopped = false
        var dropped: UInt64 = 0
        var droppedSeqs: ClosedRange<UInt64>?
        /// A wake-up is on its way or the consumer is draining: no need for another.
        var wakePending = false
    }

    public let maxDeliveries: Int
    public let maxBytes: Int
    public let whenFull: WhenFull
    private let wake: @Sendable () -> Void
    private let state = Mutex(State())

    /// Whether forward attempts (`.forward` entries) are queued too, not only deliveries.
    public let takesForwards: Bool

    /// `wake` is called (never under the recorder's lock) when deliveries are waiting and no
    /// wake-up is pending; the consumer then calls `take` until it returns nothing.
    public init(
        maxDeliveries: Int = 4096, maxBytes: Int = 16 << 20, whenFull: WhenFull, takesForwards: Bool = false,
        wake: @escaping @Sendable () -> Void
    ) {
        self.maxDeliveries = max(1, maxDeliveries)
        self.maxBytes = maxBytes
        self.whenFull = whenFull
        self.takesForwards = takesForwards
        self.wake = wake
    }

    /// Queues `recorded`; true when the consumer must be woken (the caller does it, unlocked).
    func offer(_ entry: FeedEntry) -> Bool {
        state.withLock { st in
            guard !st.stopped else { return false }
            let size = entry.line.count
            if st.queue.count >= maxDeliveries || (st.bytes + size > maxBytes && !st.queue.isEmpty) {
                switch whenFull {
                case .stop:
                    st.stopped = true
                case .dropNewest:
                    st.dropped += 1
                    let seq = entry.seq
                    st.droppedSeqs = st.droppedSeqs.map { $0.lowerBound...max($0.upperBound, seq) } ?? seq...seq
                    // The consumer hears of the first drop at once, even while it is busy.
                    if st.dropped == 1 { return true }
                }
            } else {
                st.queue.append(entry)
                st.bytes += size
            }
            defer { st.wakePending = true }
            return !st.wakePending
        }
    }

    func wakeConsumer() { wake() }

    /// Takes up to `limit` waiting deliveries. When it returns none (and nothing dropped or
    /// ended), the next offer wakes the consumer again.
    public func take(limit: Int = .max) -> Batch {
        state.withLock { st in
            let n = min(limit, st.queue.count)
            var batch = Batch(deliveries: Array(st.queue.prefix(n)))
            st.queue.removeFirst(n)
            for r in batch.deliveries { st.bytes -= r.line.count }
            batch.dropped = st.dropped
            batch.droppedSeqs = st.droppedSeqs
            st.dropped = 0
            st.droppedSeqs = nil
            batch.ended = st.stopped && st.queue.isEmpty
            if n == 0 && batch.dropped == 0 { st.wakePending = false }
            return batch
        }
    }

    /// Deliveries waiting.
    public var count: Int { state.withLock { $0.queue.count } }
}
