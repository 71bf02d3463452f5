import CallDashCore

/// What a key does in the Calls list.
public enum CallsCommand: Sendable, Equatable {
    case quit, help
    case down, up, pageDown, pageUp, halfPageDown, halfPageUp, first, last, follow
    case openDetail, switchFocus, back
    case search
    case toggleStatus(StatusSlot)
    case rejectedOnly, duplicatesOnly, clearFilters, sortNext, sortReverse
    case copyURL, openURL, checkURL, rawBody, wrapLines, replay, editAndReplay, changeReplayURL
    case export(ExportFormat)
    case compose, campaign, nextTheme
}

/// What a key does while the detail pane has focus (other keys act as in the list).
public enum DetailCommand: Sendable, Equatable {
    case down, up, pageDown, pageUp, halfPageDown, halfPageUp, top, bottom, left, right, back
}

/// What a key does while a search is typed (other keys edit the line).
public enum SearchCommand: Sendable, Equatable {
    case apply, clear, moveList
}

/// What a key does while the app's URL for `R` is typed (other keys edit the line).
public enum ReplayTargetCommand: Sendable, Equatable {
    case send, cancel
}

/// What a key does while the help overlay is open (other keys are ignored).
public enum HelpCommand: Sendable, Equatable {
    case close, down, up, pageDown, pageUp, top, bottom, quit
}

/// The Calls screen's binding tables, one per mode.
public enum CallsBindings {
    public static let list = BindingTable<CallsCommand>(
        "Calls",
        [
            (
                "Move",
                [
                    Binding([.char("j"), .down], .down, "next call"),
                    Binding([.char("k"), .up], .up, "previous call"),
                    Binding([.pageDown, .ctrl("f")], .pageDown, "page down"),
                    Binding([.pageUp, .ctrl("b")], .pageUp, "page up"),
                    Binding([.ctrl("d")], .halfPageDown, "half a page down"),
                    Binding([.ctrl("u")], .halfPageUp, "half a page up"),
                    Binding([.char("g"), .home], .first, "first row"),
                    Binding([.char("G"), .end], .last, "last row"),
                    Binding([.char("f")], .follow, "follow the newest call", bar: BarItem("follow", rank: 8)),
                    Binding([.enter], .openDetail, "open the call's detail (it stays on that call)", bar: BarItem("detail", rank: 3)),
                    Binding([.tab, .backTab], .switchFocus, "switch focus: list / detail"),
                    Binding([.escape], .back, "back: clear the search, close the detail")
                ]
            ),
            (
                "Filter and sort",
                [Binding([.char("/")], .search, "search every field (flow_id=204: exact)", bar: BarItem("search", rank: 2))]
                    + StatusSlot.allCases.map { slot in
                        Binding(
                            [.char(slot.filterKey)], .toggleStatus(slot), "show or hide \(slot.name)",
                            bar: slot == .answer ? BarItem("status", rank: 5, keys: "1-9") : nil)
                    } + [
                        Binding([.char("x")], .rejectedOnly, "rejected deliveries only", bar: BarItem("rejected", rank: 6)),
                        Binding([.char("d")], .duplicatesOnly, "provider retries only (↻)"),
                        Binding([.char("0")], .clearFilters, "clear every filter"),
                        Binding([.char("s")], .sortNext, "sort by time, duration, status", bar: BarItem("sort", rank: 7)),
                        Binding([.char("S")], .sortReverse, "reverse the order")
                    ]
            ),
            (
                "The selected call",
                [
                    Binding([.char("y")], .copyURL, "copy the recording URL (clipboard, OSC 52)", bar: BarItem("copy", rank: 9)),
                    Binding([.char("o")], .openURL, "open the recording URL in the browser", sendsTraffic: true),
                    Binding([.char("v")], .checkURL, "check the recording URL (a HEAD request)", sendsTraffic: true),
                    Binding([.char("r")], .rawBody, "body: pretty-printed / as it arrived"),
                    Binding(
                        [.char("R")], .replay, "replay the call to your app, as it arrived (to --forward-to, or a URL asked once)",
                        bar: BarItem("replay", rank: 9), sendsTraffic: true),
                    Binding(
                        [.char("M")], .editAndReplay, "edit the call's body in $VISUAL or $EDITOR, then replay it with the edit",
                        sendsTraffic: true),
                    Binding([.char("U")], .changeReplayURL, "change your app's URL for R and M"),
                    Binding([.char("w")], .wrapLines, "the detail's long lines: wrapped / scrolled sideways")
                ]
            ),
            (
                "Everything else",
                [
                    Binding([.char("e")], .export(.csv), "export what is shown as CSV", bar: BarItem("export", rank: 10)),
                    Binding([.ctrl("e")], .export(.spreadsheet), "CSV for spreadsheets: long numbers as text"),
                    Binding([.char("E")], .export(.jsonLines), "export what is shown as JSON Lines"),
                    Binding([.char("c")], .compose, "compose webhooks (Esc comes back)", bar: BarItem("compose", rank: 4)),
                    Binding([.char("a")], .campaign, "the campaign: ASR, ACD, arrivals, breakdowns", bar: BarItem("campaign", rank: 4)),
                    Binding([.char("t")], .nextTheme, "next theme", bar: BarItem("theme", rank: 11)),
                    Binding([.char("?")], .help, "this help", bar: BarItem("help", rank: 1)),
                    Binding([.char("q"), .ctrl("c")], .quit, "quit", bar: BarItem("quit", rank: 0))
                ]
            )
        ])

    public static let detail = BindingTable<DetailCommand>(
        "Detail",
        [
            (
                "The detail (Enter or Tab focuses it; other keys act on the list)",
                [
                    Binding([.char("j"), .down], .down, "scroll down", bar: BarItem("scroll", rank: 1, keys: "j/k")),
                    Binding([.char("k"), .up], .up, "scroll up"),
                    Binding([.pageDown, .char(" "), .ctrl("f")], .pageDown, "page down"),
                    Binding([.pageUp, .ctrl("b")], .pageUp, "page up"),
                    Binding([.ctrl("d")], .halfPageDown, "half a page down"),
                    Binding([.ctrl("u")], .halfPageUp, "half a page up"),
                    Binding([.char("g"), .home], .top, "top"),
                    Binding([.char("G"), .end], .bottom, "bottom"),
                    Binding([.char("h"), .left], .left, "scroll left", bar: BarItem("sideways", rank: 2, keys: "h/l")),
                    Binding([.char("l"), .right], .right, "scroll right"),
                    Binding([.escape, .tab, .backTab], .back, "back to the list", bar: BarItem("back", rank: 0))
                ]
            )
        ])

    public static let search = BindingTable<SearchCommand>(
        "Search",
        [
            (
                "Searching (other keys edit the text)",
                [
                    Binding([.enter], .apply, "keep the search", bar: BarItem("keep", rank: 0)),
                    Binding([.escape], .clear, "clear the search", bar: BarItem("clear", rank: 1)),
                    Binding([.up, .down, .pageUp, .pageDown], .moveList, "keep the search and move in the list")
                ]
            )
        ])

    public static let replayTarget = BindingTable<ReplayTargetCommand>(
        "Replay",
        [
            (
                "Your app's URL for R and M (other keys edit it; it is kept until calldash quits, U changes it)",
                [
                    Binding([.enter], .send, "keep it (and replay the call to it)", bar: BarItem("keep", rank: 0)),
                    Binding([.escape], .cancel, "send nothing, keep the URL as it was", bar: BarItem("cancel", rank: 1))
                ]
            )
        ])

    public static let help = BindingTable<HelpCommand>(
        "Help",
        [
            (
                "This help",
                [
                    Binding([.escape, .char("?"), .enter], .close, "close it", bar: BarItem("closes", rank: 1)),
                    Binding([.char("j"), .down], .down, "scroll down", bar: BarItem("scroll", rank: 0, keys: "j/k")),
                    Binding([.char("k"), .up], .up, "scroll up"),
                    Binding([.char(" "), .pageDown], .pageDown, "page down"),
                    Binding([.pageUp, .char("b")], .pageUp, "page up"),
                    Binding([.char("g"), .home], .top, "top"),
                    Binding([.char("G"), .end], .bottom, "bottom"),
                    Binding([.char("q")], .quit, "quit")
                ]
            )
        ])
}
