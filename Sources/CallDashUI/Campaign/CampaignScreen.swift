import CallDashCore

/// Draws the Campaign screen: the figures a campaign is run on, live.
public enum CampaignScreen {
    public static func render(_ s: AppState, into b: inout CellBuffer) {
        let t = s.theme
        b.fill(b.area, t[.base])
        let l = s.campaignLayout
        if l.tooSmall {
            CallsScreen.tooSmall(
                s, t, title: "Terminal too small for the campaign", needs: (CampaignLayout.minWidth, CampaignLayout.minHeight), what: "it",
                hint: "Esc goes back to Calls", into: &b)
            return
        }
        header(s, t, l.header, &b)
        figures(s, t, l.figures, &b)
        CampaignChart.render(s, t, l, into: &b)
        CampaignTable.render(s, t, l, into: &b)
        footer(s, t, l.footer, &b)
        HelpOverlay.render(s, in: b.area, into: &b)
    }

    /// "CallDash · Campaign   window all held · bars of 1m · by flow_id"
    static func header(_ s: AppState, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        b.fill(area, t[.headerText])
        let x = area.x + b.put(" CallDash · Campaign ", x: area.x, y: area.y, t[.headerTitle])
        let c = s.campaign
        let busy = c.inFlight && c.figures == nil ? " · computing…" : ""
        b.put(
            "  window \(c.window.label) · bars of \(c.bucket.rawValue) · by \(c.dimension)\(busy)", x: x, y: area.y,
            maxWidth: area.maxX - x, t[.headerDim], ellipsis: true)
    }

    /// Two rows: calls, ASR, ACD, SDR, peak, retries, rejected; then when the last report came,
    /// as a warning when reports have stopped.
    static func figures(_ s: AppState, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        guard let f = s.campaign.figures else {
            b.put(
                " " + (s.campaign.failure ?? "computing the figures…"), x: area.x, y: area.y, maxWidth: area.width, t[.detailLabel],
                ellipsis: true)
            return
        }
        let st = f.stats
        var x = area.x + 1
        func item(_ label: String, _ value: String, _ role: ThemeRole = .detailValue) {
            guard x < area.maxX else { return }
            x += b.put(label, x: x, y: area.y, maxWidth: area.maxX - x, t[.detailLabel])
            x += b.put(value + "  ", x: x, y: area.y, maxWidth: area.maxX - x, t[role])
        }
        item("calls ", CallText.count(st.calls))
        item("ASR ", CallText.percent(st.asr * 100), .statusAnswered)
        item("ACD ", CallColumn.duration(seconds: st.acdSeconds))
        item("SDR ", CallText.percent(st.sdr * 100) + " <\(st.shortThreshold)s", st.sdr > 0.2 ? .detailWarning : .detailValue)
        item("peak ", CallText.count(st.peakConcurrent))
        item("↻ ", "\(CallText.count(st.duplicates)) retries")
        item("rejected ", CallText.count(st.rejected), st.rejected > 0 ? .detailError : .detailValue)

        let y = area.y + 1
        guard let last = st.lastReportAt else {
            b.put(" no report yet: POST one to \(s.listen)/", x: area.x, y: y, maxWidth: area.width, t[.detailLabel], ellipsis: true)
            return
        }
        let ago = max(0, s.now.millis - last.millis)
        let usual = f.meanGapMillis.map { max(60_000, 10 * $0) } ?? 60_000
        let text: String
        let role: ThemeRole
        if ago > usual {
            text =
                " ⚠ reports have stopped: the last came \(age(ago)) ago"
                + (f.meanGapMillis.map { ", they had come every \(age(max(1000, $0)))" } ?? "")
            role = .detailWarning
        } else {
            text = " last report \(age(ago)) ago"
            role = .detailGood
        }
        var x2 = area.x + b.put(text, x: area.x, y: y, maxWidth: area.width, t[role], ellipsis: true)
        x2 += b.put("   talk time \(CallColumn.duration(String(st.talkSeconds)))", x: x2, y: y, maxWidth: area.maxX - x2, t[.detailLabel])
        if st.unparseableTimes > 0 {
            b.put(
                "   \(CallText.count(st.unparseableTimes)) without usable start/end times", x: x2, y: y, maxWidth: area.maxX - x2,
                t[.detailLabel], ellipsis: true)
        }
    }

    /// "3m12s", "45s", "2h05m", "3d4h".
    static func age(_ millis: Int64) -> String {
        let s = millis / 1000
        if s < 60 { return "\(s)s" }
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        if s < 86_400 { return "\(s / 3600)h\(two(s / 60 % 60))m" }
        return "\(s / 86_400)d\(s / 3600 % 24)h"
    }

    static func footer(_ s: AppState, _ t: Theme, _ area: Rect, _ b: inout CellBuffer) {
        b.fill(area, t[.barText])
        let rows = s.campaignRows.count
        let right = rows > 0 ? " \(CallText.count(min(s.campaign.cursor + 1, rows))) of \(CallText.count(rows)) values " : " "
        let room = area.width - TextWidth.of(right)
        let onBar =
            s.message.map { MessageBar.draw($0.text, $0.isError ? .barError : .barMessage, bar: area, room: room, top: 2, t, into: &b) }
            ?? false
        if !onBar { FooterView.keys(CampaignBindings.screen.bar, x: area.x + 1, y: area.y, endX: area.x + room, t, into: &b) }
        b.put(right, x: area.maxX - TextWidth.of(right), y: area.y, t[.barText])
    }
}
