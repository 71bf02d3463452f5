import CallDashCore

/// One call replayed to the user's app with `R` or `M`: where to, and how far it got.
public struct ReplayState: Equatable, Sendable {
    public var url: String
    public var stage: Stage

    public enum Stage: Equatable, Sendable {
        /// Its body is in the user's editor (`M`): this request goes once it closes.
        case editing(RenderedRequest)
        case sending
        case answered(SendVerdict)
    }
}
