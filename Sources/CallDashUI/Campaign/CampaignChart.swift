import CallDashCore

/// Arrivals per bucket as bars stacked by status, newest at the right; an empty bucket shows
/// as a dot on the baseline, so a gap in the reports is seen as one.
enum CampaignChart {
    static func render(_ s: AppState, _ t: Theme, _ l: CampaignLayout, into b: inout CellBuffer) {
        let points = Array((s.campaign.figures?.stats.series?.points ?? []).suffix(l.bars))
        let total = points.reduce(0) { $0 + $1.calls }
        ComposeScreen.rule(
            " arrivals per \(s.campaign.bucket.rawValue) ",
            right: "\(CallText.count(total)) in the last \(points.count == 1 ? "bar" : "\(points.count) bars") ", focused: false, t,
            l.chartTitle, &b)
        let most = max(1, points.map(\.calls).max() ?? 0)
        let h = l.chart.height
        let axis = CampaignLayout.axisWidth
        b.putRight(CallText.count(most), endX: l.chart.x + axis - 1, y: l.chart.y, maxWidth: axis - 1, t[.headerDim])
        b.putRight("0", endX: l.chart.x + axis - 1, y: l.chart.maxY - 1, maxWidth: axis - 1, t[.headerDim])
        for y in l.chart.y..<l.chart.maxY { b.put("│", x: l.chart.x + axis - 1, y: y, t[.border]) }
        let x0 = l.chart.x + axis + (l.bars - points.count)
        for (n, p) in points.enumerated() {
            let x = x0 + n
            guard p.calls > 0 else {
                b.put("·", x: x, y: l.chart.maxY - 1, t[.listDim])
                continue
            }
            // Cells for the whole bar, at least one; each status gets its share, bottom up.
            let cells = max(1, Int((Double(p.calls) / Double(most) * Double(h)).rounded()))
            var below = 0
            var counted = 0
            for status in p.statuses.sorted(by: { order($0.status) < order($1.status) }) {
                counted += status.calls
                let top = Int((Double(counted) / Double(p.calls) * Double(cells)).rounded())
                let role = ThemeRole.status(StatusSlot(code: CallStatus.code(of: status.status)), rejected: false)
                for k in below..<max(below, top) { b.put("█", x: x, y: l.chart.maxY - 1 - k, t[role]) }
                below = max(below, top)
            }
        }
        // The times of the first and the last bar, in local time.
        guard let first = points.first, let last = points.last else {
            b.put("no arrivals in the window", x: l.times.x + axis, y: l.times.y, maxWidth: l.times.width - axis, t[.detailLabel])
            return
        }
        let dated = s.campaign.bucket == .oneHour
        let end = clock(last.start, s.utcOffset, withDate: dated)
        let lastX = x0 + points.count - 1
        b.putRight(end, endX: min(l.times.maxX, lastX + 3), y: l.times.y, maxWidth: l.times.width / 2, t[.headerDim])
        // The first bar's time, when it does not run into the last one's.
        if lastX - x0 > 24 { b.put(clock(first.start, s.utcOffset, withDate: dated), x: x0, y: l.times.y, t[.headerDim]) }
    }

    /// Statuses in their usual order (ANSWER at the bottom), others after them.
    static func order(_ status: String) -> Int { StatusSlot(code: CallStatus.code(of: status)).rawValue }

    /// "14:05" of a timestamp, "11-27 14:00" for hour bars (they span days).
    static func clock(_ ts: Timestamp, _ offset: Int, withDate: Bool = false) -> String {
        let civil = ts.civil(offset: offset)
        return (withDate ? String(civil.dropFirst(5).prefix(5)) + " " : "") + String(civil.dropFirst(11).prefix(5))
    }
}
