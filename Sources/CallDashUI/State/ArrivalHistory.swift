import CallDashCore

/// Arrivals counted in 5-second buckets over the last five minutes: the header's sparkline.
public struct ArrivalHistory: Equatable, Sendable {
    public static let bucketMillis: Int64 = 5_000
    public static let bucketCount = 60

    /// Oldest first; the last bucket is the one filling now.
    public private(set) var buckets: [Int] = Array(repeating: 0, count: bucketCount)
    private var currentStart: Int64?
    /// When counting began, so the rate of a young window is not diluted by time before it.
    private var started: Int64?

    public init() {}

    /// Counts the newest `n` reports of `snapshot` in the buckets of their own `received_at`: a
    /// remote receiver's backlog arrives here at once, but was received over time. Reports older
    /// than the window are left out (seqs follow arrival: the first one met ends the count), and
    /// ones stamped after `now` count now.
    public mutating func add(newest n: Int, of snapshot: StoreSnapshot, now: Timestamp) {
        advance(to: now)
        guard let current = currentStart else { return }
        let first = current - Int64(Self.bucketCount - 1) * Self.bucketMillis
        var i = snapshot.count - 1
        let end = max(0, snapshot.count - n)
        while i >= end {
            let millis = snapshot.withReport(at: i) { $0.receivedAtMillis }
            i -= 1
            guard millis >= first else { break }
            buckets[millis >= current ? Self.bucketCount - 1 : Int((millis - first) / Self.bucketMillis)] += 1
            // A backlog's rate is over the time it was received in, not since this dashboard began.
            if let s = started, millis < s { started = millis }
        }
    }

    /// Moves the window so that the last bucket holds `now`.
    public mutating func advance(to now: Timestamp) {
        let start = now.millis - now.millis % Self.bucketMillis
        if started == nil { started = now.millis }
        guard let current = currentStart else {
            currentStart = start
            return
        }
        guard start > current else { return }
        let shift = Int(min((start - current) / Self.bucketMillis, Int64(Self.bucketCount)))
        buckets.removeFirst(shift)
        buckets.append(contentsOf: repeatElement(0, count: shift))
        currentStart = start
    }

    /// Arrivals per second over the last minute (or since counting began, if less).
    public func perSecond(now: Timestamp) -> Double {
        guard let current = currentStart, let started else { return 0 }
        let recent = buckets.suffix(13).reduce(0, +)
        let windowStart = max(started, current - 12 * Self.bucketMillis)
        let seconds = Double(max(1000, now.millis - windowStart)) / 1000
        return Double(recent) / seconds
    }

    /// The last `width` buckets as block characters scaled to the busiest of them.
    public func sparkline(width: Int) -> String {
        let shown = buckets.suffix(max(0, width))
        let top = shown.max() ?? 0
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return String(
            shown.map { n in
                guard top > 0, n > 0 else { return " " }
                return bars[min(bars.count - 1, (n * bars.count - 1) / top)]
            })
    }
}
