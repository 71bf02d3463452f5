/// The keys, in one table that the help overlay and the Calls bottom bar share.
public enum KeyHelp {
    public struct Entry: Sendable {
        public var keys: String
        public var action: String
        /// Shown in the bottom bar under this label, or only in the overlay when nil.
        public var bar: String?
    }

    public static let sections: [(title: String, entries: [Entry])] = [
        (
            "Move",
            [
                Entry(keys: "j k ↓ ↑", action: "next / previous call", bar: nil),
                Entry(keys: "PgDn PgUp ^D ^U", action: "page down / up", bar: nil),
                Entry(keys: "g G Home End", action: "first / last row", bar: nil),
                Entry(keys: "f", action: "follow the newest call", bar: "follow"),
                Entry(keys: "Tab", action: "switch focus: list / detail", bar: nil),
                Entry(keys: "Enter", action: "open the detail of the call", bar: "detail"),
                Entry(keys: "Esc", action: "back: close detail, clear search", bar: nil),
                Entry(keys: "mouse", action: "click selects, wheel scrolls", bar: nil)
            ]
        ),
        (
            "Filter and sort",
            [
                Entry(keys: "/", action: "search every field (Enter keeps, Esc clears)", bar: "search"),
                Entry(keys: "1-7", action: "toggle ANSWER NOANSWER BUSY CANCEL FAILED CONGESTION CHANUNAVAIL", bar: "status"),
                Entry(keys: "8 9", action: "toggle other statuses / no status", bar: nil),
                Entry(keys: "x", action: "rejected deliveries only", bar: "rejected"),
                Entry(keys: "0", action: "clear every filter", bar: nil),
                Entry(keys: "s S", action: "sort by time, duration, status / reverse", bar: "sort")
            ]
        ),
        (
            "The selected call",
            [
                Entry(keys: "y", action: "copy the recording URL (OSC 52)", bar: "copy"),
                Entry(keys: "o", action: "open the recording URL in the browser", bar: nil),
                Entry(keys: "v", action: "check the recording URL (HEAD request)", bar: nil),
                Entry(keys: "r", action: "body: pretty-printed / raw", bar: nil),
                Entry(keys: "h l ← →", action: "scroll the detail sideways", bar: nil)
            ]
        ),
        (
            "Everything else",
            [
                Entry(keys: "e E", action: "export what is shown: CSV / JSON Lines", bar: "export"),
                Entry(keys: "c", action: "compose webhooks (Esc comes back)", bar: "compose"),
                Entry(keys: "t", action: "next theme", bar: "theme"),
                Entry(keys: "?", action: "this help", bar: "help"),
                Entry(keys: "q ^C", action: "quit", bar: "quit")
            ]
        ),
        (
            "Compose",
            [
                Entry(keys: "Tab", action: "switch pane: webhooks / editor / request", bar: nil),
                Entry(keys: "Enter i", action: "edit the row (method, format: Space ← → cycle)", bar: nil),
                Entry(keys: "r", action: "rename the header or body key (Enter edits its value)", bar: nil),
                Entry(keys: "a A", action: "add a body key / a header", bar: nil),
                Entry(keys: "d J K", action: "remove / move down / move up a header or body key", bar: nil),
                Entry(keys: "p ^P", action: "variables with the call's values; Enter inserts", bar: nil),
                Entry(keys: "s ^S", action: "save (asks first if the file changed on disk)", bar: nil),
                Entry(keys: "n Y X", action: "new / duplicate / delete (asks first)", bar: nil),
                Entry(keys: "t T", action: "send a test to the URL / send to itself", bar: nil),
                Entry(keys: "C [ ]", action: "preview with a call picked from a list / the previous / next", bar: nil),
                Entry(keys: "u R", action: "undo a change / reload the file from disk", bar: nil)
            ]
        ),
        (
            "Typing a line",
            [
                Entry(keys: "← → Home End", action: "move (also ^B ^F ^A ^E)", bar: nil),
                Entry(keys: "Alt-b Alt-f ^← ^→", action: "a word left / right", bar: nil),
                Entry(keys: "^W Alt-d ^U ^K", action: "delete a word back / forward, to start / to end", bar: nil),
                Entry(keys: "^Z", action: "undo typing", bar: nil),
                Entry(keys: "Enter Esc", action: "done (Tab: key / value)", bar: nil)
            ]
        )
    ]

    /// The overlay line a section's title is on (sections are separated by a blank line).
    static func line(ofSection title: String) -> Int {
        let before = sections.prefix { $0.title != title }
        return before.reduce(0) { $0 + 1 + $1.entries.count } + before.count
    }

    /// (key, label) pairs for the bottom bar, most important first.
    public static var bar: [(String, String)] {
        let order = ["quit", "help", "search", "detail", "compose", "status", "rejected", "sort", "follow", "copy", "export", "theme"]
        let all = sections.flatMap(\.entries).compactMap { e in
            e.bar.map { (e.keys.split(separator: " ").first.map(String.init) ?? e.keys, $0) }
        }
        return order.compactMap { label in all.first { $0.1 == label } }
    }
}
