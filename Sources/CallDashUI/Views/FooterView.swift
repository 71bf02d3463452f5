import CallDashCore

/// The bottom bar: the search being typed, a message, or the keys that matter; always "N of M".
enum FooterView {
    static func render(_ s: AppState, _ t: Theme, in area: Rect, into b: inout CellBuffer) {
        guard !area.isEmpty else { return }
        b.fill(area, t[.barText])
        let message = s.modals.search == nil && s.modals.replayTarget == nil ? s.message : nil
        var counts = countsText(s, width: area.width - 1)
        if let m = message, TextWidth.of(m.text) + 2 > area.width - TextWidth.of(counts) - 1 {
            // A message takes the room of the less telling parts of "N of M" before it wraps.
            let fewer = countsText(s, width: max(12, area.width - TextWidth.of(m.text) - 3))
            if TextWidth.of(m.text) + 2 <= area.width - TextWidth.of(fewer) - 1 { counts = fewer }
        }
        let countsWidth = TextWidth.of(counts)
        let room = area.width - countsWidth - 1
        let messageOnBar =
            message.map { MessageBar.draw($0.text, $0.isError ? .barError : .barMessage, bar: area, room: room, top: 2, t, into: &b) }
            ?? false
        if let search = s.modals.search {
            searchField(search, x: area.x, y: area.y, width: room, t, into: &b)
        } else if let target = s.modals.replayTarget {
            let x = area.x + b.put(" your app's URL (http://localhost:3000/…): ", x: area.x, y: area.y, t[.searchPrompt])
            TextField.draw(target.text, editor: target, x: x, y: area.y, width: room - (x - area.x), t, on: .barText, into: &b)
        } else if !messageOnBar {
            let bar = s.focus == .detail ? CallsBindings.detail.bar + CallsBindings.list.bar : CallsBindings.list.bar
            keys(bar, x: area.x + 1, y: area.y, endX: area.x + room, t, into: &b)
        }
        b.put(counts, x: area.maxX - countsWidth, y: area.y, t[.barText])
    }

    /// The search being typed, after its " / " prompt.
    static func searchField(_ search: LineEditor, x x0: Int, y: Int, width: Int, _ t: Theme, into b: inout CellBuffer) {
        let x = x0 + b.put(" / ", x: x0, y: y, t[.searchPrompt]) + 1
        TextField.draw(search.text, editor: search, x: x, y: y, width: width - (x - x0), t, on: .barText, into: &b)
    }

    /// As many key hints as fit before `endX`, most important first.
    static func keys(_ pairs: [(key: String, label: String)], x start: Int, y: Int, endX: Int, _ t: Theme, into b: inout CellBuffer) {
        var x = start
        for (key, label) in pairs {
            let need = TextWidth.of(key) + TextWidth.of(label) + 3
            guard x + need <= endX else { break }
            x += b.put(key, x: x, y: y, t[.barKey])
            x += b.put(" " + label + "  ", x: x, y: y, t[.barText])
        }
    }

    /// "following · sort time ↓ · /text · ANSWER BUSY · 12 of 3,456 " — what the list shows, and
    /// why. Where it does not fit in `width`, whole parts go, least telling first (the sort, then
    /// the filters, then following or paused); "N of M" stays. Nothing is cut mid-word.
    static func countsText(_ s: AppState, width: Int = .max) -> String {
        var parts: [(priority: Int, text: String)] = []
        if s.visible.sort != .time {
            // Newer calls are not at one end of the list: "following" and "newer" mean nothing.
        } else if s.focus == .detail, s.visible.count > 0 {
            let newer = s.newerThanDetail
            parts.append(
                (
                    3,
                    (newer > 0 ? "detail stays on its call, \(CallText.count(newer)) newer" : "detail") + (s.follow ? " (Esc follows)" : "")
                ))
        } else if !s.follow, s.visible.count > 0 {
            let newer = s.descending ? s.cursor : s.visible.count - 1 - s.cursor
            parts.append((3, newer > 0 ? "paused, \(CallText.count(newer)) newer (f follows)" : "paused"))
        } else {
            parts.append((3, "following"))
        }
        parts.append((1, "sort \(s.visible.sort.rawValue) \(s.descending ? "↓" : "↑")"))
        let f = s.filter
        if !f.text.isEmpty && !s.searching { parts.append((2, "/" + f.text)) }
        if !f.statuses.isEmpty {
            parts.append((2, f.statuses.sorted { $0.rawValue < $1.rawValue }.map(\.name).joined(separator: " ")))
        }
        if f.rejectedOnly { parts.append((2, "rejected only")) }
        if f.duplicatesOnly { parts.append((2, "retries only")) }
        if s.pendingFilter != nil { parts.append((4, "searching…")) }
        parts.append((5, "\(CallText.count(s.visible.count)) of \(CallText.count(s.snapshot.count)) "))
        func text(_ p: [(priority: Int, text: String)]) -> String { " " + p.map(\.text).joined(separator: " · ") }
        while parts.count > 1, TextWidth.of(text(parts)) > width,
            let lowest = parts.indices.min(by: { parts[$0].priority < parts[$1].priority })
        {
            parts.remove(at: lowest)
        }
        return text(parts)
    }
}
