import CallDashCore

/// The live list of calls: one row per report, columns chosen by what fits.
enum CallListView {
    struct Column {
        var title: String
        var width: Int
        var rightAligned = false
        var value: (ReportSummary) -> String
    }

    /// Columns in the order shown, with the priority that decides which survive a narrow terminal.
    static func columns(width: Int, utcOffset: Int) -> [Column] {
        let all: [(priority: Int, column: Column)] = [
            (0, Column(title: "TIME", width: 8) { s in s.receivedAt.clock(offset: utcOffset) }),
            (1, Column(title: "STATUS", width: 11) { s in s.outcome == .rejected ? "REJECTED" : s.fields[.status] ?? "—" }),
            (2, Column(title: "FROM", width: 13) { s in s.fields[.from] ?? "" }),
            (3, Column(title: "TO", width: 13) { s in s.fields[.to] ?? "" }),
            (6, Column(title: "BRIDGE", width: 13) { s in s.fields[.bridge] ?? "" }),
            (4, Column(title: "DUR", width: 6, rightAligned: true) { s in CallText.duration(s.fields[.duration]) }),
            (7, Column(title: "SOURCE", width: 10) { s in s.fields[.source] ?? "" }),
            (8, Column(title: "FLOW", width: 8) { s in s.fields[.flowID] ?? "" }),
            (5, Column(title: "MID", width: 12) { s in s.outcome == .rejected ? (s.error ?? "") : s.fields[.mid] ?? "" })
        ]
        // Take columns by priority until one does not fit (one space between), then show them
        // in their order; the room left goes to the last one.
        var used = 2
        var keep = Set<Int>()
        for (i, entry) in all.enumerated().sorted(by: { $0.element.priority < $1.element.priority }) {
            guard used + entry.column.width + 1 <= width || keep.isEmpty else { break }
            keep.insert(i)
            used += entry.column.width + 1
        }
        var shown = all.enumerated().filter { keep.contains($0.offset) }.map(\.element.column)
        // The last column takes what is left (mid, or the error of a rejected delivery).
        if var last = shown.popLast() {
            last.width = max(last.width, width - used + last.width)
            shown.append(last)
        }
        return shown
    }

    static func render(_ s: AppState, _ t: Theme, header: Rect, list: Rect, into b: inout CellBuffer) {
        guard !header.isEmpty || !list.isEmpty else { return }
        let cols = columns(width: list.width, utcOffset: s.utcOffset)
        b.fill(header, t[.listHeader])
        var x = header.x + 2
        for c in cols {
            if c.rightAligned {
                b.putRight(c.title, endX: x + c.width, y: header.y, maxWidth: c.width, t[.listHeader])
            } else {
                b.put(c.title, x: x, y: header.y, maxWidth: c.width, t[.listHeader])
            }
            x += c.width + 1
        }
        b.fill(list, t[.listRow])
        if s.visible.count == 0 {
            let why =
                s.snapshot.count == 0
                ? "Waiting for calls… POST a report to \(s.listen)/ (any path)" : "No call matches the filter (0 clears it)"
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
            let rejected = summary.outcome == .rejected
            b.put(rejected ? "!" : " ", x: list.x, y: y, rejected ? t[.statusRejected] : rowStyle)
            var x = list.x + 2
            for c in cols {
                let text = c.value(summary)
                var style = rowStyle
                if c.title == "STATUS", !isCursor {
                    style = t[ThemeRole.status(StatusSlot(code: summary.statusCode), rejected: rejected)].over(rowStyle)
                } else if rejected, !isCursor, c.title == "MID" {
                    style = t[.detailError]
                }
                if c.rightAligned {
                    b.putRight(text, endX: x + c.width, y: y, maxWidth: c.width, style)
                } else {
                    b.put(text, x: x, y: y, maxWidth: c.width, style, ellipsis: true)
                }
                x += c.width + 1
            }
        }
    }
}
