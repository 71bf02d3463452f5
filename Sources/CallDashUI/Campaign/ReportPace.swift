import CallDashCore

/// When reports last came and how often they came before it: the one rule by which both
/// screens say that reports have stopped.
public struct ReportPace: Equatable, Sendable {
    public var lastMillis: Int64
    /// The mean time between the last 20 arrivals; nil with fewer.
    public var meanGapMillis: Int64?

    public init?(_ snapshot: StoreSnapshot) {
        let n = snapshot.count
        guard n > 0 else { return nil }
        lastMillis = snapshot[n - 1].receivedAt.millis
        meanGapMillis = n > 20 ? (lastMillis - snapshot[n - 21].receivedAt.millis) / 20 : nil
    }

    /// Silence longer than max(60 s, 10× the usual gap) means reports have stopped.
    public func stopped(now: Timestamp) -> Bool { now.millis - lastMillis > max(60_000, 10 * (meanGapMillis ?? 0)) }
}
