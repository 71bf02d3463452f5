/// What Compose reads of the rest of the dashboard while it handles a key or a click: the
/// Calls list's cursor and length (the call previewed is one of them) and the screen's size.
public struct ComposeContext: Sendable {
    public var cursor: Int
    public var calls: Int
    public var width: Int
    public var height: Int
}

/// What Compose asks of the dashboard around it; `AppState` carries them out after each call.
public enum ComposeRequest: Equatable, Sendable {
    /// A line for the bottom bar.
    case say(String, isError: Bool)
    case help
    /// Back to the Calls screen.
    case back
    /// Preview with the call at this row of the Calls list.
    case previewCall(row: Int)
    /// Search the Calls list (the call picker lists it) until the picker closes.
    case searchCalls
    /// The call picker closed: what its search did to the Calls list is undone.
    case pickerClosed
    /// Back to the screen a question was asked from.
    case show(Screen)
}
