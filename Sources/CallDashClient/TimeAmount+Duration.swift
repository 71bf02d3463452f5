import NIOCore

/// A Swift `Duration` as NIO's `TimeAmount` (AsyncHTTPClient's timeouts).
extension TimeAmount {
    init(_ d: Duration) {
        let (s, atto) = d.components
        self = .nanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }
}
