import Synchronization

/// The last forward attempt of each delivery the store holds, beside the store (a record's
/// line is written once; its attempts are lines of their own), read by whoever serves or
/// shows a record. It has its own lock: reading it never waits for ingest.
public final class ForwardLog: Sendable {
    private struct State {
        var last: [UInt64: ForwardAttempt]
        var version: UInt64 = 0
        var counts = Counts()
    }

    /// What forwarding did since start (for `/_calldash/metrics`).
    public struct Counts: Sendable, Equatable {
        public var attempts: UInt64 = 0
        /// Deliveries the app took (200/202).
        public var delivered: UInt64 = 0
        /// Deliveries given up on after their last attempt.
        public var failed: UInt64 = 0
        /// Deliveries not forwarded because the forward queue was full.
        public var dropped: UInt64 = 0

        public init(attempts: UInt64 = 0, delivered: UInt64 = 0, failed: UInt64 = 0, dropped: UInt64 = 0) {
            self.attempts = attempts
            self.delivered = delivered
            self.failed = failed
            self.dropped = dropped
        }
    }

    private let state: Mutex<State>
    /// Attempts are kept for about this many deliveries (the store's capacity): older ones are
    /// forgotten as their records leave memory.
    private let capacity: Int

    public init(_ replayed: [UInt64: ForwardAttempt] = [:], capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(last: replayed))
    }

    /// Keeps `attempt` as its delivery's last (`final`: no other attempt follows); forgets attempts of seqs before `oldestHeld` once
    /// more than the capacity are kept.
    func note(_ attempt: ForwardAttempt, final: Bool, oldestHeld: UInt64?) {
        state.withLock { st in
            st.last[attempt.seq] = attempt
            st.version &+= 1
            st.counts.attempts += 1
            if attempt.delivered { st.counts.delivered += 1 } else if final { st.counts.failed += 1 }
            if st.last.count > capacity + capacity / 8 + 64, let oldestHeld {
                st.last = st.last.filter { $0.key >= oldestHeld }
            }
        }
    }

    /// Drops, once there are many more than `capacity`, the attempts of deliveries that cannot
    /// be among the newest `capacity` before `lastSeq`: start-up reads a whole journal's forward
    /// lines, and keeps only what the store will hold.
    static func prune(_ attempts: inout [UInt64: ForwardAttempt], capacity: Int, lastSeq: UInt64) {
        guard attempts.count > 2 * capacity + 1024 else { return }
        let floor = lastSeq > UInt64(capacity) ? lastSeq - UInt64(capacity) : 0
        attempts = attempts.filter { $0.key > floor }
    }

    /// The last attempt to forward the delivery `seq`, if it was forwarded.
    public func last(of seq: UInt64) -> ForwardAttempt? {
        state.withLock { $0.last[seq] }
    }

    /// Counts deliveries that were not forwarded because the queue was full.
    public func noteDropped(_ n: UInt64) {
        state.withLock { $0.counts.dropped += n }
    }

    public var counts: Counts { state.withLock { $0.counts } }

    /// Bumped by every attempt noted: a dashboard redraws when it changes.
    public var version: UInt64 { state.withLock { $0.version } }
}
