/// What a key does anywhere on the Compose screen (outside the modes and the focused pane's keys).
public enum ComposeCommand: Sendable, Equatable {
    case quit, help, back, nextPane, previousPane
    case save, new, duplicate, reload, delete, undo
    case sendTest, sendToItself
    case previousCall, nextCall, pickCall, palette
}

/// What a key does in the webhooks pane.
public enum WebhookListCommand: Sendable, Equatable { case down, up, open }

/// What a key does in the editor pane.
public enum EditorCommand: Sendable, Equatable {
    case down, up, first, last, cycleBack, cycleForward, edit, rename, addBodyKey, addHeader, remove, moveDown, moveUp
}

/// What a key does in the request pane.
public enum PreviewCommand: Sendable, Equatable { case down, up, pageDown, pageUp, top, bottom }

/// What a key does in the variables palette and in the call picker.
public enum PickCommand: Sendable, Equatable { case down, up, close, choose }

/// What a key does in the call picker, which can also search the calls it lists.
public enum CallPickCommand: Sendable, Equatable { case down, up, close, choose, search }

/// What a key does while a Compose row is typed into (other keys edit the line).
public enum EditingCommand: Sendable, Equatable { case done, cancel, switchPart, leaveUp, leaveDown, palette, save }

/// What a key does to a question (any key not bound here cancels).
public enum ConfirmCommand: Sendable, Equatable { case yes }

/// The Compose screen's binding tables, one per pane and mode.
public enum ComposeBindings {
    public static let screen = BindingTable<ComposeCommand>(
        "Compose",
        [
            (
                "Compose",
                [
                    Binding([.escape], .back, "back to the calls", bar: BarItem("back to calls", rank: 0)),
                    Binding([.char("?")], .help, "this help", bar: BarItem("help", rank: 1)),
                    Binding([.tab], .nextPane, "next pane: webhooks / editor / request", bar: BarItem("pane", rank: 12)),
                    Binding([.backTab], .previousPane, "previous pane"),
                    Binding(
                        [.char("s"), .ctrl("s")], .save, "save (asks first if the file changed on disk)", bar: BarItem("save", rank: 4)),
                    Binding([.char("n")], .new, "new webhook", bar: BarItem("new", rank: 9)),
                    Binding([.char("Y")], .duplicate, "duplicate the open webhook"),
                    Binding([.char("X")], .delete, "delete the highlighted webhook (or discard a new one); asks first"),
                    Binding([.ctrl("r")], .reload, "reload the open webhook from its file"),
                    Binding([.char("u"), .ctrl("z")], .undo, "undo a change", bar: BarItem("undo", rank: 11)),
                    Binding(
                        [.char("P")], .sendTest, "post a test of the request to the webhook's URL", bar: BarItem("post test", rank: 5),
                        sendsTraffic: true),
                    Binding(
                        [.char("T")], .sendToItself, "send the request to CallDash itself", bar: BarItem("to itself", rank: 6),
                        sendsTraffic: true),
                    Binding(
                        [.char("p"), .ctrl("p")], .palette, "variables with the call's values; Enter inserts",
                        bar: BarItem("variables", rank: 7)),
                    Binding([.char("C")], .pickCall, "preview with a call picked from a list", bar: BarItem("other call", rank: 8)),
                    Binding([.char("[")], .previousCall, "preview with the previous call"),
                    Binding([.char("]")], .nextCall, "preview with the next call"),
                    Binding([.char("q")], .quit, "quit (asks first when changes are unsaved)")
                ]
            )
        ])

    public static let list = BindingTable<WebhookListCommand>(
        "Webhooks",
        [
            (
                "The webhooks pane",
                [
                    Binding([.char("j"), .down], .down, "next webhook"),
                    Binding([.char("k"), .up], .up, "previous webhook"),
                    Binding([.enter, .char("l"), .right], .open, "open it in the editor", bar: BarItem("open", rank: 2))
                ]
            )
        ])

    public static let editor = BindingTable<EditorCommand>(
        "Editor",
        [
            (
                "The editor pane",
                [
                    Binding([.char("j"), .down], .down, "next row"),
                    Binding([.char("k"), .up], .up, "previous row"),
                    Binding([.char("g"), .home], .first, "first row"),
                    Binding([.char("G"), .end], .last, "last row"),
                    Binding(
                        [.enter, .char("i"), .char("e")], .edit, "edit the row (method and format: the next choice)",
                        bar: BarItem("edit", rank: 2)),
                    Binding([.char("h"), .left], .cycleBack, "method, format: the previous choice"),
                    Binding([.char("l"), .right, .char(" ")], .cycleForward, "method, format: the next choice"),
                    Binding([.char("r")], .rename, "rename the header or body key", bar: BarItem("rename key", rank: 3)),
                    Binding([.char("a")], .addBodyKey, "add a body key", bar: BarItem("add body key", rank: 10)),
                    Binding([.char("A")], .addHeader, "add a header"),
                    Binding([.char("d"), .delete], .remove, "remove the header or body key"),
                    Binding([.char("J")], .moveDown, "move the header or body key down"),
                    Binding([.char("K")], .moveUp, "move the header or body key up")
                ]
            )
        ])

    public static let preview = BindingTable<PreviewCommand>(
        "Request",
        [
            (
                "The request pane",
                [
                    Binding([.char("j"), .down], .down, "scroll down"),
                    Binding([.char("k"), .up], .up, "scroll up"),
                    Binding([.pageDown, .char(" ")], .pageDown, "page down"),
                    Binding([.pageUp], .pageUp, "page up"),
                    Binding([.char("g"), .home], .top, "top"),
                    Binding([.char("G"), .end], .bottom, "bottom")
                ]
            )
        ])

    public static let editing = BindingTable<EditingCommand>(
        "Editing",
        [
            (
                "Typing into a row (other keys edit the line)",
                [
                    Binding([.enter], .done, "keep the change", bar: BarItem("done", rank: 0)),
                    Binding([.escape], .cancel, "cancel: put the value back as it was", bar: BarItem("cancel", rank: 1)),
                    Binding([.tab, .backTab], .switchPart, "switch between the key and its value", bar: BarItem("key/value", rank: 6)),
                    Binding([.up], .leaveUp, "keep the change, go to the row above"),
                    Binding([.down], .leaveDown, "keep the change, go to the row below"),
                    Binding([.ctrl("p")], .palette, "variables with the call's values", bar: BarItem("variables", rank: 2)),
                    Binding([.ctrl("s")], .save, "keep the change and save")
                ]
            )
        ])

    public static let palette = BindingTable<PickCommand>(
        "Variables",
        [
            (
                "The variables palette",
                [
                    Binding([.char("j"), .down, .ctrl("n")], .down, "next variable"),
                    Binding([.char("k"), .up, .ctrl("p")], .up, "previous variable"),
                    Binding([.enter], .choose, "insert it", bar: BarItem("insert", rank: 0)),
                    Binding([.escape], .close, "close", bar: BarItem("close", rank: 1))
                ]
            )
        ])

    public static let callPicker = BindingTable<CallPickCommand>(
        "Calls to preview with",
        [
            (
                "The call picker",
                [
                    Binding([.char("j"), .down], .down, "next call"),
                    Binding([.char("k"), .up], .up, "previous call"),
                    Binding([.enter], .choose, "preview with it", bar: BarItem("choose", rank: 0)),
                    Binding([.char("/")], .search, "search the calls (the Calls list's search)", bar: BarItem("search", rank: 1)),
                    Binding([.escape, .char("C")], .close, "close", bar: BarItem("close", rank: 2))
                ]
            )
        ])

    public static let confirm = BindingTable<ConfirmCommand>(
        "Question",
        [("A question on the bottom bar", [Binding([.char("y"), .char("Y")], .yes, "yes (any other key: no)")])])
}
