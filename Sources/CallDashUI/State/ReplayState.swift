import CallDashCore

/// One call replayed to the user's app with `R`: where to, and the app's answer once it came.
public struct ReplayState: Equatable, Sendable {
    public var url: String
    public var verdict: SendVerdict?
}
