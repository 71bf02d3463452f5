import Synchronization

/// The last forward attempt of each delivery the store holds, beside the store (a record's
/// line is written once; its attempts are lines of their own), read by whoever serves or
/// shows a record. It has its own lock: reading it never waits for ingest.
public final class ForwardLog: Sendable {
    private struct State {
        var outcomes: ForwardOutcomes
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

    public init(_ replayed: ForwardOutcomes = ForwardOutcomes(), capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(outcomes: replayed))
    }

    /// Keeps `attempt` as its delivery's last (`final`: no other attempt follows); forgets attempts of seqs before `oldestHeld` once
    /// more than the capacity are kept. Attempt 0 (none made) is not counted as an attempt.
    func note(_ attempt: ForwardAttempt, final: Bool, oldestHeld: UInt64?) {
        state.withLock { st in
            st.outcomes.note(attempt)
            st.version &+= 1
            if attempt.attempt > 0 {
                st.counts.attempts += 1
                if attempt.delivered { st.counts.delivered += 1 } else if final { st.counts.failed += 1 }
            }
            if st.outcomes.count > capacity + capacity / 8 + 64, let oldestHeld {
                st.outcomes.keep(oldestHeld...UInt64.max)
            }
        }
    }

    /// The last attempt to forward the delivery `seq`, if one was made, or why none was.
    public func last(of seq: UInt64) -> ForwardAttempt? {
        state.withLock { $0.outcomes.last(of: seq) }
    }

    /// The deliveries calldash stopped before forwarding (the journal said so), in seq order.
    public var pending: [UInt64] { state.withLock { $0.outcomes.pending } }

    /// Counts deliveries that were not forwarded because the queue was full.
    public func noteDropped(_ n: UInt64) {
        state.withLock { $0.counts.dropped += n }
    }

    public var counts: Counts { state.withLock { $0.counts } }

    /// Bumped by every attempt noted: a dashboard redraws when it changes.
    public var version: UInt64 { state.withLock { $0.version } }
}
