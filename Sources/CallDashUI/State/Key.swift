/// A key press, decoded by the terminal layer.
public enum Key: Equatable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, given in lower case.
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Alt (Meta) plus a key, which terminals send as Esc and the key.
    case alt(Character)
    /// Ctrl plus an arrow: a word left or right.
    case wordLeft, wordRight
    /// Text pasted while the terminal's bracketed paste mode is on, delivered whole.
    case paste(String)
}

/// A mouse action at a cell.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
