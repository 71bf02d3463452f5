import CallDashCore

/// One call replayed to the user's app with `R` or `M`: where to, and how far it got.
public struct ReplayState: Equatable, Sendable {
    public var url: String
    public var stage: Stage
    /// Sent with the body as the user edited it (`M`).
    public var edited = false

    public enum Stage: Equatable, Sendable {
        /// Its body is in the user's editor (`M`): this request goes once it closes.
        case editing(RenderedRequest)
        case sending
        case answered(SendVerdict)
        /// Nothing was sent, for this reason (the edit failed, or left nothing to send).
        case notSent(String)
    }
}
