import CallDashCore
import Testing

@testable import CallDashUI

@Suite("The Campaign screen")
struct CampaignTests {
    /// Twenty mixed calls on two flows, and three retries of the first.
    func campaignHarness(width: Int = 120, height: Int = 40) -> Harness {
        var recs = (1...20).map { n in
            var r = report(n, status: statuses[n % statuses.count], duration: statuses[n % statuses.count] == "ANSWER" ? 10 + n * 7 : 0)
            r.fields[.flowID] = n % 4 == 0 ? "205" : "204"
            return r
        }
        recs += [recs[0], recs[0], recs[0]].enumerated().map { k, r in
            var again = r
            again.receivedAt = Timestamp(millis: r.receivedAt.millis + Int64(30 + k) * 1000)
            return again
        }
        recs.insert(rejected(second: 11), at: 11)
        return Harness(recorder(recs), width: width, height: height)
    }

    @Test("a opens the figures: calls, ASR, ACD, SDR, peak, retries apart, rejected; the breakdown by flow; Esc goes back")
    func figuresAtAGlance() throws {
        var h = campaignHarness()
        h.press(.char("a"))
        #expect(h.state.screen == .campaign)
        let f = try #require(h.state.campaign.figures?.stats)
        #expect(f.calls == 20 && f.duplicates == 3 && f.rejected == 1)
        #expect(h.text.contains("calls 20   ASR 40.0%   ACD 1:34   SDR 0.0% <6s   peak 8   ↻ 3 retries   rejected 1"), "\(h.text)")
        #expect(h.text.contains("by flow_id"))
        #expect(h.state.campaignRows.map(\.row.value) == ["204", "205"])
        assertSnapshot(h.text, named: "campaign-120x40")
        h.press(.escape)
        #expect(h.state.screen == .calls)
    }

    @Test("at 80x24 every part still reads")
    func smallTerminal() {
        var h = campaignHarness(width: 80, height: 24)
        h.press(.char("a"))
        assertSnapshot(h.text, named: "campaign-80x24")
        #expect(h.text.contains("arrivals per 1m") && h.text.contains("by flow_id"))
    }

    @Test("below 60x16 the screen says it is too small, and Esc still goes back")
    func tooSmall() {
        var h = campaignHarness(width: 50, height: 14)
        h.press(.char("a"))
        #expect(h.text.contains("Terminal too small for the campaign") && h.text.contains("50×14: it needs 60×16"))
        h.press(.escape)
        #expect(h.state.screen == .calls)
    }

    @Test("Enter on a row opens Calls filtered to its value, and a comes back")
    func drillIntoCalls() {
        var h = campaignHarness()
        h.press(.char("a"), .char("j"), .enter)
        #expect(h.state.screen == .calls)
        #expect(h.state.filter.text == "flow_id=205")
        #expect(h.state.visible.count == 5)
        h.press(.char("a"), .char("b"), .char("b"), .char("b"))
        #expect(h.state.campaign.dimension == .hour)
        h.press(.enter)
        #expect(h.state.screen == .campaign && h.state.message?.text.contains("cannot filter by it") == true)
    }

    @Test("after b, until the new field is counted, the table shows no rows of the old one under its name, and Enter acts on none")
    func newFieldCountedFirst() {
        var h = campaignHarness()
        h.press(.char("a"))
        let computing = h.state.update(.key(.char("b"))) // the computation is asked for, not yet answered
        #expect(computing.contains { if case .computeStats = $0 { true } else { false } })
        #expect(h.state.campaign.dimension == .field(.bridge) && h.state.campaignRows.isEmpty)
        #expect(h.text.contains("by bridge (b changes it)") && h.text.contains("counting by bridge…") && !h.text.contains("204"))
        _ = h.state.update(.key(.enter))
        #expect(h.state.screen == .campaign && h.state.filter.text.isEmpty)
    }

    @Test("w cycles the window and +/- change the bars; the figures follow new reports while the screen is up")
    func windowZoomAndLive() {
        var h = campaignHarness()
        h.press(.char("a"), .char("w"))
        #expect(h.state.campaign.window == .fifteenMinutes)
        #expect(h.state.campaign.figures?.query.since == 900)
        h.press(.char("-"))
        #expect(h.state.campaign.bucket == .fiveMinutes)
        h.press(.char("+"), .char("+"))
        #expect(h.state.campaign.bucket == .oneMinute, "1m is the finest")
        h.arrive([report(40)])
        #expect(h.state.campaign.figures?.stats.calls == 20, "at most one computation a second")
        h.send(.tick(now: Timestamp(millis: h.state.now.millis + 1000)))
        #expect(h.state.campaign.figures?.stats.calls == 21)
    }

    @Test("the header warns once reports have stopped for longer than usual, on Calls too")
    func stoppedReports() {
        var h = campaignHarness()
        h.press(.char("a"))
        #expect(h.text.contains("last report"))
        h.send(.tick(now: Timestamp(millis: baseMillis + 10 * 60_000)))
        #expect(h.text.contains("⚠ reports have stopped: the last came"), "\(h.text)")
        h.press(.escape)
        #expect(h.screen.lines[0].contains("⚠ no report for 9m"), "Calls says it too: \(h.screen.lines[0])")
    }

    @Test("the help lists the Campaign keys, and e asks for the table as CSV")
    func helpAndExport() {
        var h = campaignHarness()
        h.press(.char("a"), .char("?"))
        #expect(h.text.contains("open Calls filtered to the value"))
        h.press(.escape, .char("e"))
        let csv = h.effects.compactMap { if case .exportCampaign(let csv) = $0 { csv } else { nil } }.first
        #expect(csv?.hasPrefix("by,value,calls,answered,asr,acd_s,") == true)
        #expect(csv?.contains("\r\nflow_id,204,") == true)
    }
}
