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
        let full = "  window \(c.window.label) · bars of \(c.bucket.rawValue) · by \(c.dimension)\(busy)"
        let short = "  \(c.window.label) · \(c.bucket.rawValue) · by \(c.dimension)"
        b.put(TextWidth.of(full) <= area.maxX - x ? full : short, x: x, y: area.y, maxWidth: area.maxX - x, t[.headerDim], ellipsis: true)
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
        // Each row's items by priority: where they do not fit, whole ones go, least telling first.
        var first: [Item] = [
            Item(9, "calls ", CallText.count(st.calls)), Item(8, "ASR ", CallText.percent(st.asr * 100), .statusAnswered),
            Item(7, "ACD ", CallColumn.duration(seconds: st.acdSeconds)),
            Item(4, "SDR ", CallText.percent(st.sdr * 100) + " <\(st.shortThreshold)s", st.sdr > 0.2 ? .detailWarning : .detailValue),
            Item(3, "peak ", CallText.count(st.peakConcurrent)), Item(5, "↻ ", "\(CallText.count(st.duplicates)) retries"),
            Item(6, "rejected ", CallText.count(st.rejected), st.rejected > 0 ? .detailError : .detailValue)
        ]
        draw(&first, x: area.x + 1, y: area.y, width: area.width - 1, t, &b)

        guard let last = st.lastReportAt, let pace = f.pace else {
            b.put(
                " no report yet: POST one to \(s.listen)/", x: area.x, y: area.y + 1, maxWidth: area.width, t[.detailLabel], ellipsis: true)
            return
        }
        let ago = max(0, s.now.millis - last.millis)
        var second: [Item]
        if pace.stopped(now: s.now) {
            second = [Item(9, "⚠ reports have stopped: ", "the last came \(age(ago)) ago", .detailWarning)]
            if let gap = pace.meanGapMillis {
                second.append(Item(5, "", "they had come every \(gap < 1000 ? "<1s" : age(gap))", .detailWarning))
            }
        } else {
            second = [Item(9, "last report ", "\(age(ago)) ago", .detailGood)]
        }
        second.append(Item(4, "talk time ", CallColumn.duration(String(st.talkSeconds))))
        if st.unparseableTimes > 0 {
            second.append(
                Item(
                    3, "",
                    "\(CallText.count(st.unparseableTimes)) \(st.unparseableTimes == 1 ? "call" : "calls") without usable start/end times"))
        }
        draw(&second, x: area.x + 1, y: area.y + 1, width: area.width - 1, t, &b)
    }

    /// A label and its value on a row of figures, and how much it tells (higher stays longer).
    struct Item {
        var priority: Int
        var label: String
        var value: String
        var role: ThemeRole = .detailValue

        init(_ priority: Int, _ label: String, _ value: String, _ role: ThemeRole = .detailValue) {
            (self.priority, self.label, self.value, self.role) = (priority, label, value, role)
        }

        var width: Int { TextWidth.of(label) + TextWidth.of(value) }
    }

    /// Draws the items that fit in `width`, dropping whole ones, the least telling first.
    static func draw(_ items: inout [Item], x x0: Int, y: Int, width: Int, _ t: Theme, _ b: inout CellBuffer) {
        let gap = 3
        while items.count > 1, items.reduce(0, { $0 + $1.width }) + gap * (items.count - 1) > width,
            let lowest = items.indices.min(by: { items[$0].priority < items[$1].priority })
        {
            items.remove(at: lowest)
        }
        var x = x0
        for item in items {
            x += b.put(item.label, x: x, y: y, maxWidth: max(0, x0 + width - x), t[.detailLabel])
            x += b.put(item.value, x: x, y: y, maxWidth: max(0, x0 + width - x), t[item.role], ellipsis: true) + gap
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
        let right = rows > 0 ? " row \(CallText.count(min(s.campaign.cursor + 1, rows))) of \(CallText.count(rows)) " : " "
        let room = area.width - TextWidth.of(right)
        let onBar =
            s.message.map { MessageBar.draw($0.text, $0.isError ? .barError : .barMessage, bar: area, room: room, top: 2, t, into: &b) }
            ?? false
        if !onBar { FooterView.keys(CampaignBindings.screen.bar, x: area.x + 1, y: area.y, endX: area.x + room, t, into: &b) }
        b.put(right, x: area.maxX - TextWidth.of(right), y: area.y, t[.barText])
    }
}
