extension Key {
    /// How the help and the bars write the key: "j", "^D", "PgDn", "Alt-b", "Space".
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "^" + c.uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .function(let n): "F\(n)"
        case .alt(let c): "Alt-\(c)"
        case .wordLeft: "^←"
        case .wordRight: "^→"
        case .paste: "paste"
        }
    }
}
