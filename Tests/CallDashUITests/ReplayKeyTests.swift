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
        #expect(h.text.contains("replay to: http://localhost:3000"))
        #expect(replays(h).isEmpty, "nothing is sent before the URL is given")
        for _ in 0..<30 { h.press(.backspace) }
        h.type("ftp://app")
        h.press(.enter)
        #expect(h.state.message?.text == "ftp://app is not an http:// or https:// URL (Esc sends nothing)")
        #expect(h.state.modals.replayTarget != nil, "the prompt stays to be corrected")
        for _ in 0..<9 { h.press(.backspace) }
        h.type("http://127.0.0.1:3000/hooks")
        h.press(.enter)
        let (request, replayed) = try #require(replays(h).first)
        #expect(replayed == seq && request.url.hasPrefix("http://127.0.0.1:3000/hooks/"))
        #expect(request.headers.contains(NameValue("CallDash-Replay-Of", String(seq))))
        #expect(h.state.message?.text.hasPrefix("replaying #\(seq) to http://127.0.0.1:3000/hooks…") == true)
        #expect(h.state.detail.lines.map(\.text).contains { $0.contains("replayed to http://127.0.0.1:3000/hooks: sending…") })

        h.send(.replayed(seq: seq, SendVerdict(status: 500, millis: 12, reply: "boom")))
        #expect(h.state.message?.text == "#\(seq) replayed to http://127.0.0.1:3000/hooks: 500 in 12 ms (not delivered: only 200 and 202 are)")
        #expect(h.state.message?.isError == true)
        #expect(h.state.detail.lines.map(\.text).contains { $0.contains("the app said: boom") })

        // The URL is kept: the next R sends at once.
        h.press(.char("k"), .char("R"))
        #expect(replays(h).count == 2 && h.state.modals.replayTarget == nil)
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

    @Test("the help lists R among the selected call's keys")
    func helpListsR() {
        var h = Harness(recorder([report(1)]))
        h.press(.char("?"))
        let first = h.text
        h.press(.char(" "))
        #expect((first + h.text).contains("R              replay the call to your app, as it arrived"))
    }
}
