/// One key binding: the keys, what they do, the help text, and whether the bottom bar shows it.
///
/// Every screen and mode has one table of these (`CallsBindings`, `ComposeBindings`,
/// `LineEditor.bindings`): `update` dispatches through it, and the help overlay and the bottom
/// bars are drawn from it, so no other place lists keys.
public struct Binding<Command: Sendable>: Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
    /// The bottom bar shows it under this label, lower ranks first (dropped last when narrow).
    public var bar: BarItem?
    /// It sends a request over the network: no screen beside it may bind its keys to anything.
    public var sendsTraffic: Bool

    public init(_ keys: [Key], _ command: Command, _ help: String, bar: BarItem? = nil, sendsTraffic: Bool = false) {
        self.keys = keys
        self.command = command
        self.help = help
        self.bar = bar
        self.sendsTraffic = sendsTraffic
    }

    /// The keys as the help and the bar write them: "j k ↓ ↑".
    public var keysText: String { keys.map(\.label).joined(separator: " ") }
}

/// A binding's place on the bottom bar.
public struct BarItem: Sendable, Equatable {
    public var label: String
    public var rank: Int
    /// Written instead of the binding's first key, for a group ("1-9", "j/k").
    public var keys: String?

    public init(_ label: String, rank: Int, keys: String? = nil) {
        self.label = label
        self.rank = rank
        self.keys = keys
    }
}

/// The bindings of one screen or mode, in the sections the help overlay shows them in.
public struct BindingTable<Command: Sendable>: Sendable {
    public var title: String
    public var sections: [(title: String, bindings: [Binding<Command>])]

    public init(_ title: String, _ sections: [(title: String, bindings: [Binding<Command>])]) {
        self.title = title
        self.sections = sections
    }

    public var bindings: [Binding<Command>] { sections.flatMap(\.bindings) }

    /// What `key` does in this mode; nil when it is not bound here.
    public func command(for key: Key) -> Command? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    /// The (first key, label) pairs of the bottom bar, by rank.
    public var bar: [(key: String, label: String)] { Self.merged([ranked]) }

    /// The bar's items with their ranks, for merging with another table's (`merged`).
    public var ranked: [(key: String, label: String, rank: Int)] { Self.barItems(of: bindings) }

    private static func barItems(of bindings: [Binding<Command>]) -> [(key: String, label: String, rank: Int)] {
        bindings.compactMap { b in b.bar.map { ($0.keys ?? b.keys[0].label, $0.label, $0.rank) } }
    }

    /// Several tables' bar items in one bar, by rank (a pane's keys among its screen's).
    public static func merged(_ bars: [[(key: String, label: String, rank: Int)]]) -> [(key: String, label: String)] {
        bars.joined().sorted { $0.rank < $1.rank }.map { ($0.key, $0.label) }
    }

    /// The bar as one line of text, for the edge of an overlay: "Enter insert · Esc close".
    public var hint: String { hint { _ in true } }

    /// The hint of the bar items whose command `include` keeps.
    public func hint(_ include: (Command) -> Bool) -> String {
        Self.merged([Self.barItems(of: bindings.filter { include($0.command) })]).map { "\($0.key) \($0.label)" }.joined(separator: " · ")
    }

    /// The help overlay's rows: each section's title, then "keys  help" lines.
    public var helpSections: [HelpSection] {
        sections.map { HelpSection(title: $0.title, rows: $0.bindings.map { ($0.keysText, $0.help) }) }
    }
}

/// A section of the help overlay, whatever table it comes from.
public struct HelpSection: Sendable {
    public var title: String
    public var rows: [(keys: String, help: String)]
}
