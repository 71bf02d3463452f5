import CallDashCore
import Testing

@testable import CallDashUI

@Suite("Calls screen keys and events")
struct CallsUpdateTests {
    @Test func newestCallIsOnTopAndSelectedWhileFollowing() {
        var h = Harness(mixedRecorder())
        #expect(h.state.follow)
        #expect(h.state.selectedSeq == 21)
        h.arrive([report(30, second: 30)])
        #expect(h.state.selectedSeq == 22)
        #expect(h.rows.first == 22)
        #expect(h.text.contains("call #22"))
    }

    @Test func movingAwayPausesFollowingAndKeepsTheSelectedCallInPlace() {
        var h = Harness(mixedRecorder())
        h.press(.char("j"), .char("j"))
        #expect(!h.state.follow)
        #expect(h.state.selectedSeq == 19)
        h.arrive([report(30, second: 30), report(31, second: 31)])
        #expect(h.state.selectedSeq == 19, "the selection stays on the same call")
        #expect(h.state.cursor == 4)
        #expect(h.text.contains("paused, 4 newer (f follows)"))
        h.press(.char("f"))
        #expect(h.state.follow)
        #expect(h.state.selectedSeq == 23)
    }

    @Test func searchFiltersAsYouTypeEnterKeepsItEscClearsIt() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("busy")
        #expect(h.state.searching)
        #expect(h.text.contains("2 of 21"))
        h.press(.enter)
        #expect(!h.state.searching)
        #expect(h.text.contains("/busy"))
        #expect(h.rows.count == 2)
        h.press(.escape)
        #expect(h.rows.count == 21)
    }

    @Test func keysTypedWithinOneFrameCostOneSearch() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        for c in "busy" { _ = h.state.update(.key(.char(c))) }
        #expect(h.state.searchText == "busy")
        #expect(h.state.visible.count == 21, "not filtered before the frame")
        // The text typed, and the cursor drawn just after it.
        let bar = h.screen.lines.last!
        #expect(bar.hasPrefix(" /  busy "))
        #expect(h.screen[8, h.state.height - 1].style == h.state.theme[.editorCursor])
        #expect(h.screen[7, h.state.height - 1].style != h.state.theme[.editorCursor])
        h.send(.frame)
        #expect(h.state.visible.count == 2)
        #expect(h.text.contains("2 of 21"))
    }

    @Test func theSearchIsEditedWithTheLineEditorsKeys() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("xbusy")
        h.press(.home, .delete, .enter)
        #expect(h.state.filter.text == "busy" && h.state.visible.count == 2)
        h.press(.char("/"), .alt("b"), .char("x"), .enter)
        #expect(h.state.filter.text == "xbusy" && h.state.visible.count == 0)
        h.press(.char("/"), .ctrl("u"), .enter)
        #expect(h.state.filter.text == "" && h.state.visible.count == 21)
    }

    @Test func searchMatchesPhoneNumbersAndMids() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("91987650001")
        #expect(h.rows.count == 10, "to numbers 919876500010…19")
        h.press(.backspace)
        #expect(h.rows.count == 20)
        h.type("14")
        #expect(h.rows.count == 1)
        #expect(h.state.selected?.fields[.to] == "919876500014")
    }

    @Test func statusKeysToggleFiltersAndZeroClearsThem() {
        var h = Harness(mixedRecorder())
        h.press(.char("1"))
        let answered = h.rows.count
        #expect(
            answered > 0 && h.rows.allSatisfy { seq in h.state.snapshot[h.state.snapshot.index(ofSeq: seq)!].fields[.status] == "ANSWER" })
        h.press(.char("3"))
        #expect(h.rows.count == answered + 2)
        #expect(h.text.contains("ANSWER BUSY"))
        h.press(.char("0"))
        #expect(h.rows.count == 21)
    }

    @Test func rejectedOnlyShowsRefusedDeliveries() {
        var h = Harness(mixedRecorder())
        h.press(.char("x"))
        #expect(h.rows == [12])
        #expect(h.text.contains("rejected only"))
        #expect(h.text.contains("REJECTED 400"))
    }

    @Test func sortCyclesTimeDurationStatusAndShiftSReverses() {
        var h = Harness(mixedRecorder())
        h.press(.char("s"))
        #expect(h.state.visible.sort == .duration)
        let durations = h.rows.compactMap { h.state.snapshot[h.state.snapshot.index(ofSeq: $0)!].fields[.duration].flatMap { Int($0) } }
        #expect(durations == durations.sorted(by: >), "longest first")
        h.press(.char("S"))
        let reversed = h.rows.compactMap { h.state.snapshot[h.state.snapshot.index(ofSeq: $0)!].fields[.duration].flatMap { Int($0) } }
        #expect(reversed == reversed.sorted())
        h.press(.char("s"))
        #expect(h.state.visible.sort == .status)
        #expect(h.state.snapshot[h.state.snapshot.index(ofSeq: h.rows[0])!].fields[.status] == "ANSWER")
    }

    @Test func copyOpenAndCheckActOnTheRecordingURL() {
        var h = Harness(mixedRecorder())
        h.press(.char("y"), .char("o"), .char("v"))
        let url = "https://rec.example.com/obd/5786-9668-00020.mp3"
        #expect(h.effects.contains(.copy(url)))
        #expect(h.effects.contains(.open(url)))
        #expect(h.effects.contains(.check(seq: 21, url: url)))
        #expect(h.text.contains("checking…"))
        h.send(.urlChecked(seq: 21, URLCheck(status: 200, reason: "OK", contentType: "audio/mpeg", contentLength: 48_213, millis: 85)))
        #expect(h.text.contains("✓ reachable, HTTP 200 OK · audio/mpeg · 47.0 KiB · 85 ms"))
        h.send(.urlChecked(seq: 21, URLCheck(status: 404, reason: "Not Found", contentType: "text/html", millis: 1)))
        #expect(h.text.contains("⚠ reachable, but HTTP 404 Not Found · text/html · 1 ms"))
        h.send(.urlChecked(seq: 21, URLCheck(millis: 6, failure: "unknown host rec.example.com")))
        #expect(h.text.contains("✗ not reachable: unknown host rec.example.com (6 ms)"))
    }

    @Test func callWithoutRecordingSaysSoWhenCopying() {
        var h = Harness(recorder([report(1, recording: false)]))
        h.press(.char("y"))
        #expect(!h.effects.contains { if case .copy = $0 { true } else { false } })
        #expect(h.text.contains("call #1 has no recording URL"))
    }

    @Test func durationThatDisagreesWithStartAndEndIsFlagged() {
        var rec = report(1)
        rec.fields[.duration] = "50"
        var h = Harness(recorder([rec]))
        #expect(h.text.contains("⚠ 0:50, but end_at − start_at is 42 s (0:42)"))
        h.arrive([report(2)])
        #expect(h.text.contains("✓ 0:42, matches end_at − start_at"))
    }

    @Test func exportAsksForExactlyTheRowsShownInOrder() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("busy")
        h.press(.enter, .char("e"), .char("E"))
        #expect(h.effects.contains(.export(.csv, seqs: h.rows)))
        #expect(h.effects.contains(.export(.jsonLines, seqs: h.rows)))
    }

    @Test func qAndCtrlCQuitUnknownKeysDoNothing() {
        var h = Harness(mixedRecorder())
        let before = h.text
        for k: Key in [.char("Z"), .char("é"), .function(5), .ctrl("t"), .delete, .char("\u{1B}")] { h.send(.key(k)) }
        #expect(h.text == before)
        #expect(h.state.update(.key(.char("q"))) == [.quit])
        #expect(h.state.update(.key(.ctrl("c"))) == [.quit])
    }

    @Test func mouseClickSelectsTheRowAndWheelScrolls() {
        var h = Harness(mixedRecorder())
        let list = h.state.layout.list
        h.send(.mouse(MouseEvent(.click, x: 10, y: list.y + 3)))
        #expect(h.state.cursor == 3)
        #expect(h.state.selectedSeq == 18)
        h.send(.mouse(MouseEvent(.wheelDown, x: 10, y: list.y)))
        #expect(h.state.cursor == 6)
        h.send(.mouse(MouseEvent(.wheelDown, x: 10, y: h.state.layout.detailBody.y + 1)))
        #expect(h.state.detail.scroll == 3)
    }

    @Test func tabMovesFocusToTheDetailWhereJScrollsIt() {
        var h = Harness(mixedRecorder())
        h.press(.tab, .char("j"), .char("j"))
        #expect(h.state.focus == .detail)
        #expect(h.state.detail.scroll == 2)
        #expect(h.state.selectedSeq == 21, "the list cursor did not move")
        h.press(.escape)
        #expect(h.state.focus == .list)
    }

    @Test func resizeRelaysOutAtOnce() {
        var h = Harness(mixedRecorder(), width: 120, height: 40)
        h.send(.resize(width: 80, height: 24))
        #expect(h.screen.width == 80)
        #expect(!h.state.layout.detailShown)
        h.send(.resize(width: 20, height: 5))
        #expect(h.text.contains("Terminal too small"))
        h.send(.resize(width: 200, height: 50))
        #expect(h.state.layout.detail.x > 0, "side by side on wide terminals")
    }

    @Test func themeKeyCyclesThemes() {
        var light = Theme.dark
        light.name = "light"
        var h = Harness(mixedRecorder(), themes: [.dark, light])
        h.press(.char("t"))
        #expect(h.state.theme.name == "light")
        #expect(h.text.contains("theme: light"))
        h.press(.char("t"))
        #expect(h.state.theme.name == "dark")
    }

    @Test func messagesExpireOnTick() {
        var h = Harness(mixedRecorder())
        h.send(.message("exported 3 calls to x.csv", isError: false))
        #expect(h.text.contains("exported 3 calls"))
        h.send(.tick(now: Timestamp(millis: h.state.now.millis + 10_000)))
        #expect(!h.text.contains("exported 3 calls"))
    }

    @Test func sparklineAndRateCountArrivals() {
        var h = Harness(recorder([]))
        for s in 0..<10 {
            h.state.now = Timestamp(millis: baseMillis + 60_000 + Int64(s) * 1000)
            h.arrive((0..<5).map { report(s * 5 + $0, second: 60 + s) })
        }
        #expect(h.state.history.buckets.suffix(2) == [25, 25], "two 5-second buckets")
        let header = h.screen.lines[0]
        #expect(header.contains(" 5.5/s "), "50 calls in the 9 s since counting began")
        #expect(header.hasSuffix(" ██ "))
    }

    @Test(
        "a backlog taken in at once (watch --remote) counts when it was received: the rate is its last minute's, the sparkline spreads it")
    func backlogCountedWhenReceived() {
        var h = Harness(recorder([]))
        h.state.now = Timestamp(millis: baseMillis + 600_000)
        // One call a second over the last 10 minutes, all arriving here in one go.
        h.arrive((1...600).map { report($0, second: $0) })
        #expect(h.state.history.buckets.reduce(0, +) == 296, "seconds 305 to 600: what the 5-minute window holds")
        #expect(h.state.history.buckets.dropLast().allSatisfy { $0 == 5 }, "\(h.state.history.buckets)")
        #expect(h.screen.lines[0].contains(" 1.0/s "), "61 calls in the last minute, not 600 at once: \(h.screen.lines[0])")
    }

    @Test func evictedCallsLeaveTheList() {
        let r = recorder((1...5).map { report($0) }, capacity: 5)
        var h = Harness(r)
        h.press(.char("G"))
        #expect(h.state.selectedSeq == 1)
        h.arrive([report(6), report(7)])
        #expect(h.rows == [7, 6, 5, 4, 3])
        #expect(h.state.selectedSeq == 3, "the cursor falls to the oldest call still held")
    }
}

@Suite("The detail you open stays on its call")
struct DetailStaysTests {
    @Test("calls arriving while the detail is open do not replace it; Esc goes back to following")
    func detailStaysWhileCallsArrive() {
        for (width, height) in [(120, 40), (80, 24)] {
            var h = Harness(mixedRecorder(), width: width, height: height)
            #expect(h.state.follow && h.state.selectedSeq == 21)
            h.press(.enter, .char("j"), .char("j"))
            let scrolled = h.state.detail.scroll
            h.arrive([report(30, second: 30), report(31, second: 31)])
            #expect(h.state.detail.seq == 21, "the detail stays on call #21 at \(width)x\(height)")
            #expect(h.state.detail.scroll == scrolled, "and where it was scrolled to")
            #expect(h.text.contains("call #21"))
            #expect(h.text.contains("2 newer"))
            h.press(.escape)
            #expect(h.state.focus == .list && !h.state.detailOpen)
            #expect(h.state.selectedSeq == 23, "back in the list, following resumes at the newest")
            if h.state.layout.split { #expect(h.text.contains("call #23")) }
        }
    }

    @Test("a detail closed with Esc does not come back as a full-screen detail after a resize")
    func closedDetailStaysClosedAcrossResize() {
        var h = Harness(mixedRecorder(), width: 120, height: 40)
        h.press(.enter, .escape)
        h.send(.resize(width: 80, height: 24))
        #expect(!h.state.detailOpen && h.state.focus == .list)
        #expect(h.text.contains("TIME"), "the list is shown")
    }
}

@Suite("Honest words in the detail and the totals")
struct HonestWordsTests {
    @Test("an unanswered call's ring time is a neutral note, an answered call that disagrees keeps its warning")
    func ringTimeIsNotAWarning() {
        var busy = report(1, status: "BUSY", duration: 0)
        busy.fields[.endAt] = "2026-11-27 15:29:17"
        var answered = report(2, status: "ANSWER", duration: 5)
        answered.fields[.endAt] = "2026-11-27 15:29:40"
        var h = Harness(recorder([answered, busy])) // the newest, busy, is selected first
        #expect(h.text.contains("(no talk time; rang 0:17 from start_at to end_at)"))
        #expect(!h.text.contains("⚠"))
        h.press(.char("j"))
        #expect(h.text.contains("⚠ 0:05, but end_at − start_at is 40 s (0:40)"))
    }

    @Test("a status spelled in another case or with spaces counts as that status everywhere")
    func statusCaseIgnored() {
        var h = Harness(recorder([report(1, status: "answer"), report(2, status: " Busy "), report(3, status: "ANSWER")]))
        #expect(h.state.snapshot.counts.stored(.answer) == 2 && h.state.snapshot.counts.stored(.busy) == 1)
        #expect(h.state.snapshot.counts.stored(.other) == 0)
        h.press(.char("1"))
        #expect(h.rows == [3, 1])
        #expect(h.text.contains("answer rate 66.7%"))
        #expect(h.text.contains("answer "), "shown as sent")
        let padded = String(repeating: " ", count: 40) + "answer\t"
        #expect(CallStatus.code(of: padded) == 0 && ReportQuery(statuses: ["ANSWER"]).statuses.contains(CallStatus.normalized(padded)))
    }
}

@Suite("A typed search never makes a keystroke wait")
struct SearchOffTheUIThreadTests {
    @Test("the scan runs as an effect; an answer overtaken by more typing is dropped and the latest search runs")
    func staleAnswersAreDropped() {
        var s = Harness(mixedRecorder()).state
        _ = s.update(.key(.char("/")))
        _ = s.update(.key(.char("b")))
        let first = s.update(.frame)
        guard case .search(let jobB) = first.first else {
            Issue.record("no search started: \(first)")
            return
        }
        #expect(s.visible.count == 21, "nothing scanned on the UI thread")
        for c in "usy" { _ = s.update(.key(.char(c))) }
        #expect(s.update(.frame).isEmpty, "one search at a time")
        #expect(s.modals.search?.text == "busy")
        let next = s.update(.searched(jobB.run()))
        #expect(s.visible.count == 21, "the answer for \"b\" is not shown: \"busy\" was typed since")
        guard case .search(let jobBusy) = next.first else {
            Issue.record("the latest search did not start: \(next)")
            return
        }
        #expect(jobBusy.filter.text == "busy")
        _ = s.update(.searched(jobBusy.run()))
        #expect(s.visible.count == 2 && s.pendingFilter == nil && s.searchInFlight == nil)
    }
}

@Suite("Narrow bottom bars drop whole parts")
struct NarrowFooterTests {
    @Test("at 40 and 60 columns the bar keeps N of M and whole words, never a cut one")
    func footerDropsWholeParts() {
        for width in [40, 60] {
            var h = Harness(mixedRecorder(), width: width, height: 20)
            h.press(.char("j"), .char("j"), .char("3"))
            let bar = h.screen.lines.last ?? ""
            #expect(bar.hasSuffix("2 of 21 "), "\(width): \(bar)")
            for word in bar.split(separator: " ") where word.count > 2 {
                #expect(
                    [
                        "quit", "help", "search", "of", "BUSY", "following", "paused", "paused,", "newer", "(f", "follows)", "sort", "time",
                        "detail",
                        "·"
                    ].contains(String(word)) || word.allSatisfy(\.isNumber), "\(width): cut word \(word) in \(bar)")
            }
        }
    }
}

@Suite("Small things a user noticed")
struct SmallTouchesTests {
    @Test("Tab opens the full-screen detail on a small terminal, as Enter does")
    func tabOpensDetailWhenSmall() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        h.press(.tab)
        #expect(h.state.focus == .detail && h.state.detailOpen)
        #expect(h.text.contains("call #21"))
    }

    @Test("a message about the last key goes with the next key, so it never contradicts it")
    func messageGoesWithTheNextKey() {
        var h = Harness(mixedRecorder())
        h.press(.char("j"), .char("f"))
        #expect(h.state.message?.text == "following the newest call")
        h.press(.char("j"))
        #expect(h.state.message == nil && h.text.contains("paused, 1 newer"))
    }

    @Test("a short terminal keeps the answer rate in its one header row")
    func shortTerminalKeepsTheAnswerRate() {
        let h = Harness(mixedRecorder(), width: 60, height: 12)
        #expect(h.screen.lines[0].contains("answer rate 40.0%"), "\(h.screen.lines[0])")
    }

    @Test("a filter that hides the selected call selects the nearest call after it")
    func filterKeepsTheSelectionNear() {
        var h = Harness(mixedRecorder())
        for _ in 0..<8 { h.press(.char("j")) } // #13 ANSWER
        #expect(h.state.selectedSeq == 13)
        h.press(.char("3")) // BUSY only: #3 and #13 are not BUSY … the next BUSY after #13
        let busy = h.rows
        #expect(h.state.selectedSeq.map { s in busy.contains(s) } == true)
        #expect(h.state.selectedSeq == busy.filter { $0 > 13 }.last ?? busy.first)
    }

    @Test("a call without a recording URL shows no copy, open and check keys")
    func noRecordingNoActions() {
        var h = Harness(recorder([report(1, recording: false)]))
        h.press(.enter)
        #expect(!h.text.contains("y copy"))
    }
}

@Suite("Search matches are highlighted")
struct MatchHighlightTests {
    @Test("the text searched for is marked where it shows in a row, ignoring case")
    func matchesAreMarked() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("OBD")
        h.press(.enter)
        let screen = h.screen
        let match = h.state.theme[.listMatch]
        let y = (0..<screen.height).first { screen.lines[$0].contains("OBD") && screen.lines[$0].contains("5786-9668-00020") } ?? -1
        #expect(y >= 0)
        let x = Array(screen.lines[y]).firstIndex(of: "O") ?? -1
        #expect(x >= 0 && screen[x, y].style.bg == match.bg && screen[x + 2, y].style.bg == match.bg)
        #expect(screen[x + 3, y].style.bg != match.bg)
    }

    @Test("the detail of a found call marks the text searched for too, also in a right-aligned place and after wide characters")
    func detailAndAnyAlignmentAreMarked() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("5786-9668-00020")
        h.press(.enter, .enter)
        let screen = h.screen
        let match = h.state.theme[.listMatch]
        let detail = h.state.layout.detailBody
        let marked = (detail.y..<detail.maxY).filter { y in (detail.x..<detail.maxX).contains { screen[$0, y].style.bg == match.bg } }
        #expect(!marked.isEmpty, "the detail's mid row is marked")

        var b = CellBuffer(width: 20, height: 1)
        b.putRight("日本 Ab ab", endX: 20, y: 0, maxWidth: 20, .plain)
        b.highlight("AB", y: 0, from: 0, to: 20) { _ in Style(fg: .palette(1)) }
        let styled = (0..<20).filter { b[$0, 0].style.fg == .palette(1) }
        #expect(styled == [15, 16, 18, 19], "both matches, right-aligned after two wide characters")
        b.highlight("本", y: 0, from: 0, to: 20) { _ in Style(fg: .palette(2)) }
        #expect(b[12, 0].style.fg == .palette(2) && b[13, 0].style.fg == .palette(2), "a wide match takes both its cells")
    }
}

@Suite("Filters and a running search")
struct FilterDuringSearchTests {
    @Test("a status key pressed while a search runs keeps the search text, and the late answer does not undo it")
    func statusKeyKeepsTheSearch() {
        var s = Harness(mixedRecorder()).state
        _ = s.update(.key(.char("/")))
        for c in "obd" { _ = s.update(.key(.char(c))) }
        guard case .search(let job) = s.update(.frame).first else {
            Issue.record("no search started")
            return
        }
        _ = s.update(.key(.enter))
        _ = s.update(.key(.char("1"))) // ANSWER, while the search for "obd" still runs
        #expect(s.filter.text == "obd" && s.filter.statuses == [.answer])
        let shown = s.visible.count
        _ = s.update(.searched(job.run()))
        #expect(s.filter.statuses == [.answer] && s.visible.count == shown, "the late answer is dropped")
    }
}

@Suite("Reading a long raw body")
struct DetailWrapTests {
    @Test("w wraps the detail's long lines to the pane, marked ↪, and keeps doing so for the next call")
    func wrapLongLines() {
        var rec = report(1)
        rec.raw = Array(("{\"note\":\"" + String(repeating: "abcdefghij", count: 30) + "\"}").utf8)
        var h = Harness(recorder([report(2), rec]), width: 120, height: 40)
        h.press(.char("r"))
        let before = h.state.detail.lines.count
        h.press(.char("w"))
        #expect(h.state.detail.lines.count > before)
        #expect(h.state.detail.lines.contains { $0.text.hasPrefix("↪ ") })
        let width = h.state.layout.detailBody.width - 1
        #expect(h.state.detail.lines.allSatisfy { TextWidth.of($0.text) <= width })
        h.press(.char("j"))
        #expect(h.state.detail.wrap)
    }
}

@Suite("A message is read whole")
struct LongMessageTests {
    static let long =
        "no browser to open it: set $BROWSER or install xdg-utils (your desktop's opener), or copy the recording URL with y and paste it where you listen"

    @Test("a message longer than the bar wraps at words above it, every word shown, and N of M stays")
    func longMessageWraps() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        h.state.say(Self.long, isError: true)
        let lines = h.screen.lines
        let shown = lines.suffix(MessageBar.maxRows).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(shown.contains(Self.long), "\(lines.suffix(4))")
        #expect(lines.last?.hasSuffix("21 of 21 ") == true)
        #expect(!lines.suffix(MessageBar.maxRows).contains { $0.contains("…") })
    }

    @Test("at 80 columns with the detail open, a message is read whole at full width, and Esc dismisses an error")
    func longMessageBesideTheDetailNote() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        h.press(.enter)
        h.arrive([report(30), report(31)])
        h.state.say(Self.long, isError: true)
        let rows = h.screen.lines.suffix(MessageBar.maxRows)
        let shown = rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(shown.contains(Self.long), "\(rows)")
        #expect(h.screen.lines.last?.contains("of 23") == true, "the bar keeps N of M")
        h.press(.escape)
        #expect(h.state.message == nil && h.state.focus == .detail, "Esc only dismissed the message")
    }

    @Test("a message that fits once the bar drops its less telling parts stays on the bar")
    func messageTakesTheRoomOfLessTellingParts() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        h.press(.enter)
        h.arrive([report(30)])
        let before = h.screen.lines
        h.state.say("copied the recording URL to the clipboard (OSC 52)")
        let after = h.screen.lines
        #expect(after.last?.contains("copied the recording URL to the clipboard (OSC 52)") == true, "\(after.last ?? "")")
        #expect(after.last?.hasSuffix("22 of 22 ") == true)
        #expect(Array(after.dropLast()) == Array(before.dropLast()))
    }

    @Test("a short message stays on the bar and the list above it is untouched")
    func shortMessageOneLine() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        let before = h.screen.lines
        h.state.say("filters cleared")
        let after = h.screen.lines
        #expect(after.last?.contains("filters cleared") == true)
        #expect(Array(after.dropLast()) == Array(before.dropLast()))
    }

    @Test("a Compose question that does not fit is wrapped, not cut before its y")
    func longQuestionWraps() {
        var h = composeHarness(width: 80, height: 24)
        h.press(.char("n"), .char("X"))
        let tail = h.screen.lines.suffix(MessageBar.maxRows).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(tail.contains("It was never saved. y discards it, any other key keeps it"), "\(tail)")
    }
}

@Suite("Provider retries in Calls")
struct DuplicateCallsTests {
    @Test("a retry is marked ↻, left out of the totals and the answer rate, shown alone with d, and its detail names the original")
    func retriesAreMarkedAndNotCounted() {
        var h = Harness(recorder([report(1), report(2, status: "BUSY"), report(1, second: 30), report(1, second: 31)]))
        #expect(h.state.snapshot.counts.storedDuplicates == 2)
        #expect(h.text.contains("answer rate 50.0%"), "1 ANSWER of 2 calls, not 3 of 4")
        #expect(h.text.contains("↻ 2 retries"))
        #expect(h.screen.lines.filter { $0.hasPrefix("↻ ") }.count == 2)
        h.press(.char("d"))
        #expect(h.rows == [4, 3])
        #expect(h.screen.lines.last?.contains("retries only") == true)
        h.press(.enter)
        #expect(h.text.contains("↻ a duplicate of #1: the same standard fields (a provider retry); not counted"))
        h.press(.escape, .escape, .char("d"))
        #expect(h.rows.count == 4)
    }

    @Test("field=value in / matches that field exactly, ignoring case, ANDed with the free text")
    func fieldTermsInSearch() {
        var h = Harness(mixedRecorder())
        h.press(.char("/"))
        h.type("source=obd")
        h.press(.enter)
        #expect(!h.rows.isEmpty && h.rows.count < 21)
        #expect(h.state.visible.count == (1...20).filter { $0 % 3 != 0 }.count, "Click2Call calls are out, OBD ones in")
        h.press(.char("/"), .ctrl("u"))
        h.type("source=OBD busy")
        h.press(.enter)
        #expect(h.rows.allSatisfy { seq in h.state.snapshot[h.state.snapshot.index(ofSeq: seq)!].fields[.status] == "BUSY" })
        #expect(!h.rows.isEmpty)
        h.press(.char("/"), .ctrl("u"))
        h.type("source=OB")
        h.press(.enter)
        #expect(h.rows.isEmpty, "a term is the whole value, not a part of it")
        h.press(.char("/"), .ctrl("u"))
        h.type("colour=red")
        h.press(.enter)
        #expect(h.rows.isEmpty, "a word with = that names no field is free text")
    }
}
