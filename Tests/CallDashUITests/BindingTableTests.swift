import CallDashCore
import Testing

@testable import CallDashUI

/// Every table's bindings as (keys, help, bar, sendsTraffic), whatever its command type.
private struct Row {
    var table: String
    var keys: [Key]
    var help: String
    var bar: BarItem?
    var sendsTraffic: Bool
}

private func rows<C>(_ t: BindingTable<C>) -> [Row] {
    t.bindings.map { Row(table: t.title, keys: $0.keys, help: $0.help, bar: $0.bar, sendsTraffic: $0.sendsTraffic) }
}

private let calls: [[Row]] = [
    rows(CallsBindings.list), rows(CallsBindings.detail), rows(CallsBindings.search), rows(CallsBindings.replayTarget),
    rows(CallsBindings.help)
]
private let compose: [[Row]] = [
    rows(ComposeBindings.screen), rows(ComposeBindings.list), rows(ComposeBindings.editor), rows(ComposeBindings.preview),
    rows(ComposeBindings.editing), rows(ComposeBindings.palette), rows(ComposeBindings.callPicker), rows(ComposeBindings.confirm)
]
private let typing = rows(LineEditor.bindings)

@Suite("Keys live in one binding table per screen and mode")
struct BindingTableTests {
    @Test("every bound key has help text, and every bar item is a bound key")
    func everyKeyHasHelp() {
        for table in calls + compose + [typing] {
            for r in table {
                #expect(!r.keys.isEmpty && !r.help.isEmpty, "\(r.table): \(r.keys)")
                if let bar = r.bar { #expect(!bar.label.isEmpty, "\(r.table): \(r.help)") }
            }
        }
    }

    @Test("no mode binds one key twice, nor do the Compose screen and any of its panes together")
    func noKeyBoundTwice() {
        func duplicates(_ rows: [Row]) -> [String] {
            var seen: [Key] = []
            var dup: [String] = []
            for k in rows.flatMap(\.keys) {
                if seen.contains(k) { dup.append(k.label) }
                seen.append(k)
            }
            return dup
        }
        for table in calls + compose + [typing] { #expect(duplicates(table).isEmpty, "\(table.first?.table ?? ""): \(duplicates(table))") }
        for pane in [rows(ComposeBindings.list), rows(ComposeBindings.editor), rows(ComposeBindings.preview)] {
            #expect(duplicates(rows(ComposeBindings.screen) + pane).isEmpty, "\(pane.first?.table ?? "")")
        }
        // What a line being typed takes for itself must not be a key of its mode (that one would be dead).
        let typingKeys = Set(typing.flatMap(\.keys).map(\.label))
        for mode in [rows(CallsBindings.search), rows(CallsBindings.replayTarget), rows(ComposeBindings.editing)] {
            #expect(typingKeys.isDisjoint(with: mode.flatMap(\.keys).map(\.label)))
        }
    }

    @Test("a key that sends a request on one screen means nothing on the other, so habit cannot send one")
    func trafficKeysAreNotSharedAcrossScreens() {
        for (mine, theirs) in [(calls, compose), (compose, calls)] {
            let bound = Set(theirs.joined().flatMap(\.keys).map(\.label))
            for r in mine.joined() where r.sendsTraffic {
                #expect(
                    bound.isDisjoint(with: r.keys.map(\.label)), "\(r.table) \(r.help): \(r.keys.map(\.label)) is bound on the other screen"
                )
            }
        }
        #expect(CallsBindings.list.command(for: .char("t")) == .nextTheme)
        #expect(ComposeBindings.screen.command(for: .char("t")) == nil, "t does nothing in Compose")
    }

    @Test("the help overlay shows every binding of the screen that is up, keys and text on one line")
    func helpShowsEveryBinding() {
        for screen in [Screen.calls, .compose] {
            var h = screen == .calls ? Harness(mixedRecorder(), width: 160, height: 200) : composeHarness(width: 160, height: 200)
            h.press(.char("?"))
            let text = h.screen.lines
            let shown = screen == .calls ? calls : compose
            for r in (shown + [typing]).joined() {
                let keys = r.keys.map(\.label).joined(separator: " ")
                #expect(text.contains { $0.contains(keys) && $0.contains(r.help) }, "\(screen): \(keys) \(r.help)")
            }
            h.press(.escape)
            #expect(h.state.modals.isEmpty)
        }
    }

    @Test("dispatch does what the help says: digits filter the slot they name, t changes theme, P posts a test")
    func dispatchFollowsTheTables() {
        var h = Harness(mixedRecorder())
        for slot in StatusSlot.allCases {
            h.press(.char(slot.filterKey))
            #expect(h.state.filter.statuses == [slot])
            h.press(.char(slot.filterKey))
        }
        let theme = h.state.themeIndex
        h.press(.char("t"))
        #expect(h.state.message?.text.hasPrefix("theme:") == true || h.state.themeIndex != theme)
        var c = composeHarness()
        c.press(.char("t"))
        #expect(!c.effects.contains { if case .sendTest = $0 { true } else { false } }, "t sends nothing in Compose")
        c.press(.char("P"))
        #expect(c.effects.contains { if case .sendTest(_, _, toSelf: false) = $0 { true } else { false } })
    }
}
