import CallDashCore
import Testing

@testable import CallDashUI

@Suite("R: the selected call replayed to your app")
struct ReplayKeyTests {
    /// The `.replay` effects asked for so far.
    func replays(_ h: Harness) -> [(RenderedRequest, UInt64)] {
        h.effects.compactMap { if case .replay(let r, let seq) = $0 { (r, seq) } else { nil } }
    }

    @Test("R asks once for the app's URL, refuses one that is not http(s), sends the call to it and shows the app's answer in place")
    func askOnceThenSend() throws {
        var h = Harness(recorder([report(1), report(2, status: "BUSY")]))
        let seq = try #require(h.state.selectedSeq)
        h.press(.char("R"))
        #expect(h.text.contains("your app's URL (http://localhost:3000/…):"))
        #expect(replays(h).isEmpty, "nothing is sent before the URL is given")
        h.type("http://127.0.0.1:99999")
        h.press(.enter)
        #expect(h.state.message?.text == "http://127.0.0.1:99999: port 99999 is not a port (1 to 65535); nothing sent (R or U asks again)")
        #expect(h.state.modals.replayTarget == nil && h.state.replayURL == nil && replays(h).isEmpty)
        h.press(.escape, .char("R"))
        #expect(h.state.modals.replayTarget?.text == "http://127.0.0.1:99999", "offered again to be corrected")
        for _ in 0..<5 { h.press(.backspace) }
        h.type("3000/hooks")
        h.press(.enter)
        let (request, replayed) = try #require(replays(h).first)
        #expect(replayed == seq && request.url.hasPrefix("http://127.0.0.1:3000/hooks/"))
        #expect(request.headers.contains(NameValue("CallDash-Replay-Of", String(seq))))
        #expect(h.state.message?.text.hasPrefix("replaying #\(seq) to http://127.0.0.1:3000/hooks…") == true)
        #expect(h.state.detail.lines.map(\.text).contains { $0.contains("replayed to http://127.0.0.1:3000/hooks: sending…") })

        h.send(.replayed(seq: seq, SendVerdict(status: 500, millis: 12, reply: "boom")))
        #expect(
            h.state.message?.text == "#\(seq) replayed to http://127.0.0.1:3000/hooks: 500 in 12 ms (not delivered: only 200 and 202 are)")
        #expect(h.state.message?.isError == true)
        #expect(h.state.detail.lines.map(\.text).contains { $0.contains("the app said: boom") })

        // The URL is kept: the next R sends at once; U changes it without sending.
        h.press(.char("k"), .char("R"))
        #expect(replays(h).count == 2 && h.state.modals.replayTarget == nil)
        h.press(.char("U"))
        #expect(h.state.modals.replayTarget?.text == "http://127.0.0.1:3000/hooks")
        for _ in 0..<6 { h.press(.backspace) }
        h.press(.enter)
        #expect(h.state.replayURL == "http://127.0.0.1:3000" && h.state.message?.text == "R and M now replay to http://127.0.0.1:3000")
        #expect(replays(h).count == 2)
    }

    @Test("Esc at the URL sends nothing; a call that is itself a replay says which seq it replays")
    func cancelAndReplayOf() throws {
        var again = report(1)
        again.headers.append(NameValue("CallDash-Replay-Of", "41"))
        var h = Harness(recorder([again]))
        h.press(.char("R"), .escape)
        #expect(replays(h).isEmpty && h.state.message?.text == "nothing replayed")
        #expect(h.state.detail.lines.map(\.text).contains { $0.hasPrefix("⟲ a replay of #41") })
    }

    @Test("M asks for the body to be edited first; the edited body is what is replayed, and a failed edit sends nothing")
    func editThenReplay() throws {
        var h = Harness(recorder([report(1), report(2)]))
        h.state.replayURL = "http://127.0.0.1:3000"
        let seq = try #require(h.state.selectedSeq)
        h.press(.char("M"))
        let edits = h.effects.compactMap { if case .editBody(let r, let s) = $0 { (r, s) } else { nil } }
        #expect(edits.count == 1 && edits.first?.1 == seq && replays(h).isEmpty, "nothing is sent before the editor closes")
        #expect(h.state.detail.lines.map(\.text).contains { $0.contains("its body is in the editor") })
        h.send(.edited(seq: seq, .success(Array(#"{"status":"EDITED"}"#.utf8))))
        let sent = try #require(replays(h).first)
        #expect(sent.1 == seq && sent.0.body == Array(#"{"status":"EDITED"}"#.utf8))
        #expect(h.state.message?.text == "replaying #\(seq) with the edited body (19 bytes) to http://127.0.0.1:3000…")
        #expect(
            h.state.detail.lines.map(\.text).contains { $0.contains("replayed to http://127.0.0.1:3000 with the edited body: sending…") })

        h.press(.char("k"), .char("M"))
        let other = try #require(h.state.selectedSeq)
        h.send(.edited(seq: other, .failure(EditFailure("the edited body is empty: nothing sent (an emptied file cancels)"))))
        #expect(replays(h).count == 1 && h.state.message?.isError == true)
        #expect(h.state.message?.text == "#\(other) not replayed: the edited body is empty: nothing sent (an emptied file cancels)")
        let detail = h.state.detail.lines.map(\.text)
        #expect(
            detail.contains("not replayed to http://127.0.0.1:3000: the edited body is empty: nothing sent (an emptied file cancels)")
                && !detail.contains { $0.contains("its body is in the editor") }, "the detail says so too: \(detail.prefix(8))")
    }

    @Test("the help lists R among the selected call's keys")
    func helpListsR() {
        var h = Harness(recorder([report(1)]))
        h.press(.char("?"))
        let first = h.text
        h.press(.char(" "))
        #expect((first + h.text).contains("R              replay the call to your app, as it arrived"))
    }
}
