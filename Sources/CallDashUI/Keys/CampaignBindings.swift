/// What a key does on the Campaign screen.
public enum CampaignCommand: Sendable, Equatable {
    case down, up, pageDown, pageUp, top, bottom
    case openCalls, nextWindow, finer, coarser, nextField, previousField, export
    case back, help, nextTheme, quit
}

/// The Campaign screen's binding table.
public enum CampaignBindings {
    public static let screen = BindingTable<CampaignCommand>(
        "Campaign",
        [
            (
                "The breakdown table",
                [
                    Binding([.char("j"), .down], .down, "next value", bar: BarItem("move", rank: 5, keys: "j/k")),
                    Binding([.char("k"), .up], .up, "previous value"),
                    Binding([.pageDown, .ctrl("f")], .pageDown, "page down"),
                    Binding([.pageUp, .ctrl("b")], .pageUp, "page up"),
                    Binding([.char("g"), .home], .top, "first value"),
                    Binding([.char("G"), .end], .bottom, "last value"),
                    Binding([.enter], .openCalls, "open Calls filtered to the value (/flow_id=204)", bar: BarItem("its calls", rank: 2)),
                    Binding([.char("b")], .nextField, "break down by the next field", bar: BarItem("by", rank: 3, keys: "b/B")),
                    Binding([.char("B")], .previousField, "break down by the previous field")
                ]
            ),
            (
                "Window and arrivals",
                [
                    Binding([.char("w")], .nextWindow, "window: all held, 15 m, 1 h, 24 h", bar: BarItem("window", rank: 4)),
                    Binding([.char("+"), .char("=")], .finer, "finer bars (1h, 15m, 5m, 1m)", bar: BarItem("zoom", rank: 6, keys: "+/-")),
                    Binding([.char("-")], .coarser, "coarser bars")
                ]
            ),
            (
                "Everything else",
                [
                    Binding([.char("e")], .export, "export the table shown as CSV", bar: BarItem("export", rank: 7)),
                    Binding([.char("t")], .nextTheme, "next theme"),
                    Binding([.escape, .char("a")], .back, "back to Calls", bar: BarItem("back to calls", rank: 0)),
                    Binding([.char("?")], .help, "this help", bar: BarItem("help", rank: 1)),
                    Binding([.char("q"), .ctrl("c")], .quit, "quit")
                ]
            )
        ])
}
