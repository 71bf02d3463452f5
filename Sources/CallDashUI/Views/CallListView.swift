import CallDashCore

/// The live list of calls: one row per report, columns chosen by what fits.
enum CallListView {
    static func render(_ s: AppState, _ t: Theme, header: Rect, list: Rect, into b: inout CellBuffer) {
        guard !header.isEmpty || !list.isEmpty else { return }
        let cols = CallColumn.fitting(CallColumn.list, width: list.width - 2)
        b.fill(header, t[.listHeader])
        var x = header.x + 2
        for (c, width) in cols {
            // The sorted column says so, with its direction.
            var title = c.title
            if let key = s.visible.sort.column, key == c { title += s.descending ? " ↓" : " ↑" }
            if c.rightAligned {
                b.putRight(title, endX: x + width, y: header.y, maxWidth: width, t[.listHeader])
            } else {
                b.put(title, x: x, y: header.y, maxWidth: width, t[.listHeader])
            }
            x += width + 1
        }
        b.fill(list, t[.listRow])
        if s.visible.count == 0 {
            let waiting = s.remote.map { "No calls from \($0) yet (its header says whether it is followed)" }
            let why =
                s.snapshot.count == 0
                ? waiting ?? "Waiting for calls… POST a report to \(s.listen)/ (any path)" : "No call matches the filter (0 clears it)"
            b.put(why, x: list.x + 2, y: list.y + min(1, list.height - 1), maxWidth: list.width - 2, t[.listDim], ellipsis: true)
            return
        }
        for r in 0..<list.height {
            let row = s.scroll + r
            guard let seq = s.seq(ofRow: row), let i = s.snapshot.index(ofSeq: seq) else { break }
            let summary = s.snapshot[i]
            let y = list.y + r
            let isCursor = row == s.cursor
            let rowStyle = isCursor ? t[s.focus == .list ? .listCursor : .listCursorUnfocused] : t[.listRow]
            b.fill(Rect(x: list.x, y: y, width: list.width, height: 1), rowStyle)
            drawRow(summary, cols, x: list.x, y: y, width: list.width, s, t, rowStyle: rowStyle, isCursor: isCursor, into: &b)
        }
    }

    /// One call on one line: its mark, then the columns. A rejected delivery
    /// has no fields to show: its error takes the row after its status instead of one column.
    static func drawRow(
        _ summary: ReportSummary, _ cols: [(column: CallColumn, width: Int)], x x0: Int, y: Int, width: Int, _ s: AppState, _ t: Theme,
        rowStyle: Style, isCursor: Bool, into b: inout CellBuffer
    ) {
        let rejected = summary.outcome == .rejected
        // "!" a rejected delivery, "✗" one the user's app has not taken (--forward-to), "↻" a
        // provider's retry of an earlier call (not counted).
        if rejected {
            b.put("!", x: x0, y: y, t[.statusRejected])
        } else if let forward = s.forwards?.last(of: summary.seq), !forward.delivered {
            b.put("✗", x: x0, y: y, t[.detailError].over(rowStyle))
        } else {
            b.put(summary.duplicateOf != nil ? "↻" : " ", x: x0, y: y, summary.duplicateOf != nil ? t[.listDim].over(rowStyle) : rowStyle)
        }
        var x = x0 + 2
        for (c, colWidth) in cols {
            var style = rowStyle
            switch c {
            case .field(.status) where !isCursor:
                style = t[ThemeRole.status(StatusSlot(code: summary.statusCode), rejected: rejected)].over(rowStyle)
            case .receivedAt, .seq, .field(.status): break
            default:
                if rejected {
                    b.put(
                        summary.error ?? "", x: x, y: y, maxWidth: x0 + width - x, isCursor ? rowStyle : t[.detailError].over(rowStyle),
                        ellipsis: true)
                    return
                }
            }
            let text = c.shown(summary, utcOffset: s.utcOffset)
            if c.rightAligned {
                b.putRight(text, endX: x + colWidth, y: y, maxWidth: colWidth, style)
            } else {
                b.put(text, x: x, y: y, maxWidth: colWidth, style, ellipsis: true)
            }
            b.highlight(s.filter.freeText, y: y, from: x, to: x + colWidth) { t[.listMatch].over($0) }
            x += colWidth + 1
        }
    }
}
