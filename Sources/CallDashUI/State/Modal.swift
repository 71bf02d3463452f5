import CallDashCore

/// A mode of the dashboard that takes the keys until it ends, over either screen: the top of
/// `AppState.modals` gets every key, and while one is open the mouse is ignored. Compose's own
/// modes (`ComposeModal`) come after these. This is the one place their precedence is written:
/// the dashboard's first, then the screen's, the newest of each first.
public enum Modal: Equatable, Sendable {
    case help(scroll: Int)
    /// The Calls search being typed.
    case search(LineEditor)
    /// The app's URL for `R` and `M` being typed, and what Enter then does.
    case replayTarget(LineEditor, then: ReplayNext)
}

/// What follows the app's URL being given: replaying a call (`edit`: after editing its body
/// first), or nothing (`U` only changes the URL).
public enum ReplayNext: Equatable, Sendable {
    case replay(seq: UInt64, edit: Bool)
    case keepURL
}

/// A mode of the Compose screen (`ComposeState.modals`).
public enum ComposeModal: Equatable, Sendable {
    /// A row being typed into.
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
public struct ModalStack<Mode: Equatable & Sendable>: Equatable, Sendable {
    public private(set) var all: [Mode] = []

    public init() {}

    public var top: Mode? { all.last }
    public var isEmpty: Bool { all.isEmpty }

    mutating func push(_ m: Mode) { all.append(m) }
    @discardableResult mutating func pop() -> Mode? { all.popLast() }
    /// Changes the top mode in place (a cursor moved, a character typed).
    mutating func replaceTop(_ m: Mode) {
        guard !all.isEmpty else { return push(m) }
        all[all.count - 1] = m
    }

    mutating func removeAll() { all = [] }

    /// The newest mode `pick` recognises, as what it picks out of it.
    func newest<T>(_ pick: (Mode) -> T?) -> T? { all.lazy.compactMap(pick).last }
}

extension ModalStack where Mode == Modal {
    public var helpScroll: Int? { newest { if case .help(let s) = $0 { s } else { nil } } }
    public var search: LineEditor? { newest { if case .search(let e) = $0 { e } else { nil } } }
    public var replayTarget: LineEditor? { newest { if case .replayTarget(let e, _) = $0 { e } else { nil } } }
}

extension ModalStack where Mode == ComposeModal {
    public var editing: LineEdit? { newest { if case .editing(let e) = $0 { e } else { nil } } }
    public var palette: Int? { newest { if case .palette(let c) = $0 { c } else { nil } } }
    public var callPicker: Int? { newest { if case .callPicker(let r) = $0 { r } else { nil } } }
    public var confirm: ComposeConfirm? { newest { if case .confirm(let q) = $0 { q } else { nil } } }

    /// Replaces the line being typed (the newest `.editing`).
    mutating func setEditing(_ e: LineEdit) {
        guard let i = all.lastIndex(where: { if case .editing = $0 { true } else { false } }) else { return }
        all[i] = .editing(e)
    }
}
