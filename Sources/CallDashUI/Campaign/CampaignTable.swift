import CallDashCore

/// The breakdown by the chosen field: one row per value, most calls first, with its calls,
/// ASR, ACD, the counts of the window's most common statuses and a bar of its calls.
enum CampaignTable {
    static func render(_ s: AppState, _ t: Theme, _ l: CampaignLayout, into b: inout CellBuffer) {
        let stats = s.campaign.figures?.stats
        let breakdown = s.campaignBreakdown
        let right = breakdown.map { "\(CallText.count($0.distinctValues)) \($0.distinctValues == 1 ? "value" : "values") " } ?? ""
        ComposeScreen.rule(" by \(s.campaign.dimension) (b changes it) ", right: right, focused: true, t, l.tableTitle, &b)
        let listed = s.campaignRows
        let rows = listed.map(\.row)
        guard !rows.isEmpty else {
            let empty = stats != nil && breakdown == nil ? "  counting by \(s.campaign.dimension)…" : "  no calls in the window"
            b.put(empty, x: l.table.x, y: l.table.y, maxWidth: l.table.width, t[.detailLabel])
            return
        }
        let title = s.campaign.dimension.description.uppercased()
        let othersLabel = "others (\(CallText.count(breakdown?.otherValues ?? 0)) values)"
        let labels = listed.map { $0.isOthers ? othersLabel : SafeText.displayed($0.row.value) }
        let valueWidth = min(28, max(8, TextWidth.of(title), labels.map { TextWidth.of($0) }.max() ?? 0))
        let fixed = 2 + valueWidth + 8 + 8 + 8
        let statusWidth = 12 // CHANUNAVAIL and a space
        let barMin = 10
        let names = (stats?.statuses ?? []).map(\.status).prefix(max(0, (l.table.width - fixed - barMin) / statusWidth))
        let barWidth = max(0, l.table.width - fixed - names.count * statusWidth - 2)
        let most = max(1, rows.map(\.calls).max() ?? 0)

        var x = l.tableHeader.x + 2
        b.fill(l.tableHeader, t[.listHeader])
        func head(_ text: String, _ w: Int, right: Bool) {
            if right {
                b.putRight(text, endX: x + w, y: l.tableHeader.y, maxWidth: w, t[.listHeader])
            } else {
                b.put(text, x: x, y: l.tableHeader.y, maxWidth: w, t[.listHeader], ellipsis: true)
            }
            x += w
        }
        head(title, valueWidth, right: false)
        head("CALLS", 8, right: true)
        head("ASR", 8, right: true)
        head("ACD", 8, right: true)
        for n in names { head(n.isEmpty ? "(none)" : n, statusWidth, right: true) }

        for r in 0..<l.tableRows {
            let i = s.campaign.scroll + r
            guard let row = rows[safe: i] else { break }
            let y = l.table.y + r
            let isCursor = i == s.campaign.cursor
            let style = isCursor ? t[.listCursor] : t[.listRow]
            if isCursor { b.fill(Rect(x: l.table.x, y: y, width: l.table.width, height: 1), style) }
            let isOthers = listed[i].isOthers
            var x = l.table.x + 2
            let value = isOthers ? othersLabel : row.value.isEmpty ? "(none)" : row.value
            b.put(value, x: x, y: y, maxWidth: valueWidth, isOthers || row.value.isEmpty ? t[.listDim].over(style) : style, ellipsis: true)
            x += valueWidth
            func cell(_ text: String, _ w: Int, _ st: Style) {
                b.putRight(text, endX: x + w, y: y, maxWidth: w, st)
                x += w
            }
            cell(CallText.count(row.calls), 8, style)
            // A value that answers at under half the window's rate is the one to look at.
            let low = row.calls > 0 && row.asr < (stats?.asr ?? 0) / 2
            cell(CallText.percent(row.asr * 100), 8, isCursor ? style : t[low ? .statusFailed : .statusAnswered].over(style))
            cell(row.answered > 0 ? CallColumn.duration(seconds: row.acdSeconds) : "–", 8, style) // no answered call, no mean
            let counts = Dictionary(row.statuses.map { ($0.status, $0.calls) }, uniquingKeysWith: +)
            for n in names {
                let role = ThemeRole.status(StatusSlot(code: CallStatus.code(of: n)), rejected: false)
                cell(counts[n].map(CallText.count) ?? (isOthers ? "" : "0"), statusWidth, isCursor ? style : t[role].over(style))
            }
            if barWidth > 0 {
                let filled = Int((Double(row.calls) / Double(most) * Double(barWidth)).rounded())
                b.put(
                    String(repeating: "▇", count: filled), x: x + 2, y: y, maxWidth: barWidth, isCursor ? style : t[.sparkline].over(style))
            }
        }
    }
}
