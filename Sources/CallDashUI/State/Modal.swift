import CallDashCore

/// A mode that takes the keys until it ends: the top of `AppState.modals` gets every key, and
/// while one is open the mouse is ignored (a line being typed ends first). This is the one place
/// their precedence is written: the newest wins.
public enum Modal: Equatable, Sendable {
    case help(scroll: Int)
    /// The Calls search being typed.
    case search(LineEditor)
    /// A Compose row being typed into.
    case editing(LineEdit)
    /// The variables palette, at its cursor.
    case palette(cursor: Int)
    /// The list of calls to preview with, at the row (in the Calls list's order) under its cursor.
    case callPicker(row: Int)
    /// A question answered with y (anything else cancels).
    case confirm(ComposeConfirm)
}

/// A Compose row being typed into.
public struct LineEdit: Equatable, Sendable {
    public var editor: LineEditor
    /// Whether the line holds an entry's key (else its value).
    public var key: Bool
    /// The webhook as it was before this line was edited: Esc puts it back.
    public var before: Webhook
}

/// The open modes, oldest first.
public struct ModalStack: Equatable, Sendable {
    public private(set) var all: [Modal] = []

    public var top: Modal? { all.last }
    public var isEmpty: Bool { all.isEmpty }

    mutating func push(_ m: Modal) { all.append(m) }
    @discardableResult mutating func pop() -> Modal? { all.popLast() }
    /// Changes the top mode in place (a cursor moved, a character typed).
    mutating func replaceTop(_ m: Modal) {
        guard !all.isEmpty else { return push(m) }
        all[all.count - 1] = m
    }
    /// Removes every mode of the kind `matches` picks.
    mutating func removeAll(where matches: (Modal) -> Bool) { all.removeAll(where: matches) }

    // What the views draw.
    public var helpScroll: Int? { all.lazy.compactMap { if case .help(let s) = $0 { s } else { nil } }.last }
    public var search: LineEditor? { all.lazy.compactMap { if case .search(let e) = $0 { e } else { nil } }.last }
    public var editing: LineEdit? { all.lazy.compactMap { if case .editing(let e) = $0 { e } else { nil } }.last }
    public var palette: Int? { all.lazy.compactMap { if case .palette(let c) = $0 { c } else { nil } }.last }
    public var callPicker: Int? { all.lazy.compactMap { if case .callPicker(let r) = $0 { r } else { nil } }.last }
    public var confirm: ComposeConfirm? { all.lazy.compactMap { if case .confirm(let q) = $0 { q } else { nil } }.last }

    /// Replaces the line being typed (the newest `.editing`).
    mutating func setEditing(_ e: LineEdit) {
        guard let i = all.lastIndex(where: { if case .editing = $0 { true } else { false } }) else { return }
        all[i] = .editing(e)
    }
}
