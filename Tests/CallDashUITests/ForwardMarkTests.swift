import CallDashCore
import Testing

@testable import CallDashUI

@Suite("What the user's app made of each call (--forward-to), in the list and the detail")
struct ForwardMarkTests {
    func attempt(_ seq: UInt64, _ n: Int, status: Int?, error: String?, reply: String = "") -> ForwardAttempt {
        ForwardAttempt(
            seq: seq, at: Timestamp(millis: baseMillis), url: "http://127.0.0.1:3000/crm/ack", attempt: n, status: status, ms: 7,
            error: error,
            delivered: status == 200, reply: reply)
    }

    @Test("a call the app has not taken is marked ✗ in the list; the open detail follows its attempts as they are made")
    func markAndDetailFollow() throws {
        let rec = recorder([report(1), report(2), report(3)])
        var h = Harness(rec)
        h.state.forwards = rec.forwards
        let seq = try #require(h.state.selectedSeq)
        h.press(.enter)
        rec.recordForward(attempt(seq, 1, status: 500, error: "the app answered 500", reply: "{\"error\":\n\"db down\"}"), final: false)
        rec.recordForward(attempt(1, 1, status: 200, error: nil), final: true)
        h.send(.forwardsChanged)
        let marked = h.screen.lines.filter { $0.hasPrefix("✗") }
        #expect(marked.count == 1, "only the call the app refused is marked: \(h.screen.lines.prefix(8))")
        let detail = h.state.detail.lines.map(\.text)
        #expect(detail.contains("→ forwarded to http://127.0.0.1:3000/crm/ack: the app answered 500 in 7 ms"), "\(detail.prefix(6))")
        #expect(detail.contains("  the app said: {\"error\": \"db down\"}"))
        rec.recordForward(attempt(seq, 2, status: 200, error: nil, reply: "ok"), final: true)
        h.send(.forwardsChanged)
        #expect(h.state.detail.lines.map(\.text).contains("→ forwarded to http://127.0.0.1:3000/crm/ack: 200 in 7 ms (attempt 2)"))
        #expect(!h.screen.lines.contains { $0.hasPrefix("✗") }, "taken on its second attempt: no longer marked")
    }

    @Test("calls the full forward queue left are marked ✗, and the detail says why none was sent")
    func queueFullRun() throws {
        let rec = recorder((1...6).map { report($0) })
        var h = Harness(rec)
        h.state.forwards = rec.forwards
        rec.recordForward(attempt(1, 1, status: 200, error: nil), final: true)
        rec.recordForward(.notMade(2...5, url: "http://127.0.0.1:3000", why: ForwardAttempt.queueFull(limit: 10_000)), final: true)
        h.send(.forwardsChanged)
        #expect(h.screen.lines.filter { $0.hasPrefix("✗") }.count == 4, "seqs 2 to 5: \(h.screen.lines.prefix(9))")
        let said = "→ not forwarded to http://127.0.0.1:3000: the forward queue was full (10000 deliveries waited for the app)"
        h.press(.enter)
        for _ in 0..<5 {
            let seq = try #require(h.state.selectedSeq)
            let detail = h.state.detail.lines.map(\.text)
            #expect(detail.contains(said) == (2...5).contains(seq), "seq \(seq): \(detail.prefix(6))")
            #expect(detail.contains { $0.hasPrefix("→ forwarded to") } == (seq == 1), "seq \(seq)")
            h.press(.down)
        }
    }
}
