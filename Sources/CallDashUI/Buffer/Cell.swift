/// One terminal cell. A wide character occupies its cell and a following continuation cell.
public struct Cell: Equatable, Sendable {
    /// What is drawn; empty for the continuation cell of a wide character.
    public var text: String
    public var style: Style

    public init(_ text: String = " ", _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
}
