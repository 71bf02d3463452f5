/// Each delivery's last forward attempt, and the runs of deliveries not forwarded for a full
/// queue: what start-up reads from the journal's forward lines and `ForwardLog` keeps. A run is
/// one line and one entry (`through`): one per delivery would cost a receiver that is taking
/// deliveries flat out a journal line and an entry for nearly each of them.
public struct ForwardOutcomes: Sendable, Equatable {
    private var last: [UInt64: ForwardAttempt] = [:]
    /// Runs in seq order, each with its first seq in `seq` and its last in `through`.
    private var runs: [ForwardAttempt] = []

    public init() {}

    /// Keeps `attempt` as its delivery's last, or, for a run, as every one of its deliveries' (an
    /// attempt of a single delivery inside a run is that delivery's all the same).
    public mutating func note(_ attempt: ForwardAttempt) {
        guard attempt.through != nil else {
            last[attempt.seq] = attempt
            return
        }
        // Runs are said in seq order and never overlap; one out of order or overlapping others
        // (damage, journals put together by hand) keeps only its seqs no other run has.
        var run = attempt
        let at = firstRun(after: run.seq)
        if at > 0, let before = runs[at - 1].through, before >= run.seq { run.seq = before + 1 }
        if at < runs.count, runs[at].seq <= (run.through ?? 0) { run.through = runs[at].seq - 1 }
        guard let through = run.through, through >= run.seq else { return }
        if through == run.seq { run.through = nil } // one seq left: kept as that delivery's own attempt
        guard run.through != nil else {
            if last[run.seq] == nil { last[run.seq] = run }
            return
        }
        runs.insert(run, at: at)
    }

    /// The last attempt for `seq`, if one was made or none was made for a full queue.
    public func last(of seq: UInt64) -> ForwardAttempt? {
        if let a = last[seq] { return a }
        let i = firstRun(after: seq)
        guard i > 0, let through = runs[i - 1].through, seq <= through else { return nil }
        var a = runs[i - 1]
        a.seq = seq
        a.through = nil
        return a
    }

    /// The deliveries calldash stopped before forwarding, in seq order.
    public var pending: [UInt64] { last.values.filter(\.pending).map(\.seq).sorted() }

    /// Attempts and runs kept.
    public var count: Int { last.count + runs.count }

    /// Forgets what is not about a seq in `seqs` (the deliveries held).
    public mutating func keep(_ seqs: ClosedRange<UInt64>) {
        last = last.filter { seqs.contains($0.key) }
        runs.removeAll { ($0.through ?? $0.seq) < seqs.lowerBound || $0.seq > seqs.upperBound }
    }

    /// Forgets, once there are many more than `capacity`, what cannot be about the newest
    /// `capacity` deliveries up to `lastSeq`: start-up reads a whole journal's forward lines,
    /// and keeps only what the store will hold.
    mutating func prune(capacity: Int, lastSeq: UInt64) {
        guard count > 2 * capacity + 1024 else { return }
        keep((lastSeq > UInt64(capacity) ? lastSeq - UInt64(capacity) + 1 : 0)...UInt64.max)
    }

    /// The index of the first run starting after `seq`.
    private func firstRun(after seq: UInt64) -> Int {
        var (lo, hi) = (0, runs.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].seq <= seq { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
