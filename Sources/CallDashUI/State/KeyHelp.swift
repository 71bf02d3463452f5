/// The keys of the Calls screen, in one table that the help overlay and the bottom bar share.
public enum KeyHelp {
    public struct Entry: Sendable {
        public var keys: String
        public var action: String
        /// Shown in the bottom bar under this label, or only in the overlay when nil.
        public var bar: String?
    }

    public static let sections: [(title: String, entries: [Entry])] = [
        ("Move", [
            Entry(keys: "j k ↓ ↑", action: "next / previous call", bar: nil),
            Entry(keys: "PgDn PgUp ^D ^U", action: "page down / up", bar: nil),
            Entry(keys: "g G Home End", action: "first / last row", bar: nil),
            Entry(keys: "f", action: "follow the newest call", bar: "follow"),
            Entry(keys: "Tab", action: "switch focus: list / detail", bar: nil),
            Entry(keys: "Enter", action: "open the detail of the call", bar: "detail"),
            Entry(keys: "Esc", action: "back: close detail, clear search", bar: nil),
            Entry(keys: "mouse", action: "click selects, wheel scrolls", bar: nil),
        ]),
        ("Filter and sort", [
            Entry(keys: "/", action: "search every field (Enter keeps, Esc clears)", bar: "search"),
            Entry(keys: "1-7", action: "toggle ANSWER NOANSWER BUSY CANCEL FAILED CONGESTION CHANUNAVAIL", bar: "status"),
            Entry(keys: "8 9", action: "toggle other statuses / no status", bar: nil),
            Entry(keys: "x", action: "rejected deliveries only", bar: "rejected"),
            Entry(keys: "0", action: "clear every filter", bar: nil),
            Entry(keys: "s S", action: "sort by time, duration, status / reverse", bar: "sort"),
        ]),
        ("The selected call", [
            Entry(keys: "y", action: "copy the recording URL (OSC 52)", bar: "copy"),
            Entry(keys: "o", action: "open the recording URL in the browser", bar: nil),
            Entry(keys: "v", action: "check the recording URL (HEAD request)", bar: nil),
            Entry(keys: "r", action: "body: pretty-printed / raw", bar: nil),
            Entry(keys: "h l ← →", action: "scroll the detail sideways", bar: nil),
        ]),
        ("Everything else", [
            Entry(keys: "e E", action: "export what is shown: CSV / JSON Lines", bar: "export"),
            Entry(keys: "t", action: "next theme", bar: "theme"),
            Entry(keys: "?", action: "this help", bar: "help"),
            Entry(keys: "q ^C", action: "quit", bar: "quit"),
        ]),
    ]

    /// (key, label) pairs for the bottom bar, most important first.
    public static var bar: [(String, String)] {
        let order = ["quit", "help", "search", "detail", "status", "rejected", "sort", "follow", "copy", "export", "theme"]
        let all = sections.flatMap(\.entries).compactMap { e in e.bar.map { (e.keys.split(separator: " ").first.map(String.init) ?? e.keys, $0) } }
        return order.compactMap { label in all.first { $0.1 == label } }
    }
}
