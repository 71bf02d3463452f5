import CallDashCore

/// One call replayed to the user's app with `R` or `M`: where to, the request while its body
/// is in the editor, and the app's answer once it came.
public struct ReplayState: Equatable, Sendable {
    public var url: String
    public var editing: RenderedRequest?
    public var verdict: SendVerdict?
}
