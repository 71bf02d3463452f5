import CallDashCore

/// The top of the Calls screen: where the receiver listens, the journal, the arrival rate with
/// its sparkline, and the totals per status.
enum HeaderView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        b.fill(area, t[.headerText])
        var x = area.x
        x += b.put(" CallDash ", x: x, y: area.y, t[.headerTitle])
        let rate = s.history.perSecond(now: s.now)
        let rateText = rate >= 10 || rate == 0 ? "\(Int(rate.rounded()))/s" : "\(Double(Int(rate * 10)) / 10)/s"
        let spark = s.history.sparkline(width: min(30, max(0, area.width / 4)))
        let right = " \(rateText) "
        let rightWidth = TextWidth.of(right) + spark.count + 1
        x += b.put("  " + s.listen, x: x, y: area.y, maxWidth: area.maxX - x - rightWidth, t[.headerText], ellipsis: true)
        x += b.put("  " + s.journal, x: x, y: area.y, maxWidth: area.maxX - x - rightWidth, t[.headerDim], ellipsis: true)
        if area.width - (x - area.x) >= rightWidth {
            let sx = area.maxX - rightWidth
            b.put(right, x: sx, y: area.y, t[.headerText])
            b.put(spark, x: sx + TextWidth.of(right), y: area.y, t[.sparkline])
        }
        if area.height > 1 { totals(s, t, x: area.x, y: area.y + 1, width: area.width, into: &b) }
    }

    /// "1 ANSWER 123  2 NOANSWER 4 … rejected 2  answer rate 64%  5,678 received", or a short
    /// form ("ANS 123 NOA 4 …") when that does not fit. Statuses filtered out are dimmed.
    static func totals(_ s: AppState, _ t: Theme, x x0: Int, y: Int, width: Int, into b: inout CellBuffer) {
        let c = s.snapshot.counts
        let withStatus = c.storedByStatus[0..<8].reduce(0, +)
        // Three forms, widest first: with the filter keys and the received total, without them, abbreviated.
        func segments(short: Bool, keys: Bool = false) -> [(String, Style)] {
            var out: [(String, Style)] = []
            for (i, status) in CallStatus.allCases.enumerated() {
                let on = s.filter.statuses.isEmpty || s.filter.statuses.contains(i)
                if keys { out.append(("\(i + 1) ", t[.headerDim])) }
                let name = short ? String(status.rawValue.prefix(3)) : status.rawValue
                out.append((name, on ? t[ThemeRole.status(code: UInt8(i), rejected: false)] : t[.headerDim]))
                out.append((" \(CallText.count(c.storedByStatus[i]))" + (short ? " " : "  "), on ? t[.headerText] : t[.headerDim]))
            }
            if c.storedByStatus[7] > 0 { out.append(("other \(CallText.count(c.storedByStatus[7]))  ", t[.statusOther])) }
            out.append(
                (
                    short ? "rej \(CallText.count(c.storedRejected))" : "rejected \(CallText.count(c.storedRejected))",
                    c.storedRejected > 0 ? t[.statusRejected] : t[.headerDim]
                ))
            if withStatus > 0 {
                out.append(
                    (
                        (short ? " · " : "  answer rate ") + "\(c.storedByStatus[0] * 100 / withStatus)%" + (short ? " answered" : ""),
                        t[.headerText]
                    ))
            }
            if keys { out.append(("  \(CallText.count(c.received)) received", t[.headerDim])) }
            return out
        }
        let fits = { (p: [(String, Style)]) in p.reduce(0) { $0 + TextWidth.of($1.0) } <= width - 2 }
        let parts = [segments(short: false, keys: true), segments(short: false)].first(where: fits) ?? segments(short: true)
        var x = x0 + 1
        for (text, style) in parts { x += b.put(text, x: x, y: y, maxWidth: x0 + width - x, style) }
    }
}
