import CallDashCore

/// The top of the Calls screen: where the receiver listens, the journal, the arrival rate with
/// its sparkline, and the totals per status.
enum HeaderView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        b.fill(area, t[.headerText])
        var x = area.x
        x += b.put(" CallDash ", x: x, y: area.y, t[.headerTitle])
        guard area.height > 1 else {
            // One row (a short terminal): the totals, whose answer rate is the headline, over where it listens.
            totals(s, t, x: x - 1, y: area.y, width: area.maxX - x + 1, into: &b)
            return
        }
        let rate = s.history.perSecond(now: s.now)
        let rateText = rate >= 10 || rate == 0 ? "\(Int(rate.rounded()))/s" : "\(Double(Int(rate * 10)) / 10)/s"
        let spark = s.history.sparkline(width: min(30, max(0, area.width / 4)))
        // Reports that have stopped are said here too, where the rate would read 0/s.
        let stopped = ReportPace(s.snapshot).flatMap { $0.stopped(now: s.now) ? $0 : nil }
        let right = stopped.map { " ⚠ no report for \(CampaignScreen.age(s.now.millis - $0.lastMillis)) " } ?? " \(rateText) "
        let rightWidth = TextWidth.of(right) + spark.count + 1
        x += b.put("  " + s.listen, x: x, y: area.y, maxWidth: area.maxX - x - rightWidth, t[.headerText], ellipsis: true)
        x += b.put("  " + s.journal, x: x, y: area.y, maxWidth: area.maxX - x - rightWidth, t[.headerDim], ellipsis: true)
        if area.width - (x - area.x) >= rightWidth {
            let sx = area.maxX - rightWidth
            b.put(right, x: sx, y: area.y, stopped == nil ? t[.headerText] : t[.detailWarning].over(t[.headerText]))
            b.put(spark, x: sx + TextWidth.of(right), y: area.y, t[.sparkline])
        }
        totals(s, t, x: area.x, y: area.y + 1, width: area.width, into: &b)
    }

    /// "answer rate 64.2%  1 ANSWER 123  2 NOANSWER 4 … 8 other 1  rejected 2  5,678 received": each
    /// status with the digit that filters it (dimmed when filtered out). Where it does not fit, whole
    /// items are dropped, least telling first (the received total, statuses with no calls, the rarer
    /// statuses); the answer rate, the headline figure, stays. Nothing is cut mid-word.
    static func totals(_ s: AppState, _ t: Theme, x x0: Int, y: Int, width: Int, into b: inout CellBuffer) {
        let c = s.snapshot.counts
        var items: [(priority: Int, spans: [(String, Style)])] = []
        let withStatus = c.storedWithStatus
        if withStatus > 0 {
            let rate = Double(c.stored(.answer)) * 100 / Double(withStatus)
            items.append((100, [("answer rate \(CallText.percent(rate))", t[.headerText])]))
        }
        for slot in StatusSlot.allCases where slot != .none && (slot != .other || c.stored(.other) > 0) {
            let on = s.filter.statuses.isEmpty || s.filter.statuses.contains(slot)
            let n = c.stored(slot)
            let spans: [(String, Style)] = [
                ("\(slot.filterKey) ", t[.headerDim]),
                (slot.name, on ? t[ThemeRole.status(slot, rejected: false)] : t[.headerDim]),
                (" \(CallText.count(n))", on ? t[.headerText] : t[.headerDim])
            ]
            items.append(((n > 0 ? 80 : 30) - slot.rawValue, spans))
        }
        items.append(
            (
                c.storedRejected > 0 ? 90 : 20,
                [("rejected \(CallText.count(c.storedRejected))", c.storedRejected > 0 ? t[.statusRejected] : t[.headerDim])]
            ))
        if c.storedDuplicates > 0 {
            items.append((85, [("↻ \(CallText.count(c.storedDuplicates)) retries", t[.headerDim])]))
        }
        items.append((10, [("\(CallText.count(c.received)) received", t[.headerDim])]))
        let gap = 2
        func span(of kept: [(priority: Int, spans: [(String, Style)])]) -> Int {
            kept.reduce(0) { $0 + $1.spans.reduce(0) { $0 + TextWidth.of($1.0) } } + gap * max(0, kept.count - 1)
        }
        var kept = items
        while !kept.isEmpty, span(of: kept) > width - 2, let lowest = kept.indices.min(by: { kept[$0].priority < kept[$1].priority }) {
            kept.remove(at: lowest)
        }
        var x = x0 + 1
        for item in kept {
            for (text, style) in item.spans { x += b.put(text, x: x, y: y, style) }
            x += gap
        }
    }
}
