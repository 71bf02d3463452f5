import CallDashCore

/// The variables with the selected call's values; Enter puts the one under the cursor into the text.
enum PaletteOverlay {
    static func render(_ s: AppState, _ t: Theme, in screen: Rect, into b: inout CellBuffer) {
        let items = ComposeState.palette(s.composeValues)
        let nameWidth = items.map { $0.name.count + 4 }.max() ?? 0
        let w = min(screen.width - 4, max(40, nameWidth + 34))
        let h = min(screen.height - 2, items.count + 4)
        let box = Rect(x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w, height: h)
        guard box.width > 10, box.height > 4 else { return }
        HelpOverlay.frame(box, title: " Variables · \(ComposeScreen.callLabel(s)) ", t, into: &b)
        b.putRight(" \(ComposeBindings.palette.hint) ", endX: box.maxX - 1, y: box.maxY - 1, maxWidth: box.width - 2, t[.overlayKey])
        let rows = box.height - 3
        let cursor = s.compose.modals.palette ?? 0
        let top = max(0, cursor - rows + 1)
        for (n, item) in items.enumerated().dropFirst(top).prefix(rows) {
            let y = box.y + 2 + n - top
            let style = n == cursor ? t[.listCursor] : t[.overlayKey]
            if n == cursor { b.fill(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), style) }
            let x = box.x + 2 + b.put("{{\(item.name)}}", x: box.x + 2, y: y, style)
            let value = item.value.map { $0.isEmpty ? "(empty)" : $0 } ?? "(not in this call: renders empty)"
            let vx = max(x, box.x + 2 + nameWidth) + 1
            b.put(value, x: vx, y: y, maxWidth: box.maxX - 2 - vx, n == cursor ? style : t[.overlayText], ellipsis: true)
        }
    }
}

/// A short list of the calls around the one selected in Calls, to preview the webhook with another.
enum CallPickerOverlay {
    static func render(_ s: AppState, _ t: Theme, in screen: Rect, into b: inout CellBuffer) {
        let w = min(screen.width - 4, 76)
        let h = min(screen.height - 2, 16)
        let box = Rect(x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w, height: h)
        guard box.width > 20, box.height > 4, let row = s.compose.modals.callPicker else { return }
        let f = s.pendingFilter ?? s.filter
        let searched = f.text.isEmpty ? "" : "/\(f.text) · "
        let title = " Preview with which call? \(searched)\(CallText.count(s.visible.count)) of \(CallText.count(s.snapshot.count)) "
        HelpOverlay.frame(box, title: title, t, into: &b)
        b.putRight(" \(ComposeBindings.callPicker.hint) ", endX: box.maxX - 1, y: box.maxY - 1, maxWidth: box.width - 2, t[.overlayKey])
        let rows = box.height - 3
        if s.visible.count == 0 {
            let why =
                f.text.isEmpty
                ? "No calls yet: the preview uses the provider's sample" : "No call matches /\(f.text) (/ then Esc clears it)"
            b.put(why, x: box.x + 2, y: box.y + 2, maxWidth: box.width - 4, t[.overlayText], ellipsis: true)
        }
        let cursor = min(row, max(0, s.visible.count - 1))
        let top = min(max(0, cursor - rows / 2), max(0, s.visible.count - rows))
        for n in top..<min(s.visible.count, top + rows) {
            guard let seq = s.seq(ofRow: n), let i = s.snapshot.index(ofSeq: seq) else { continue }
            let style = n == cursor ? t[.listCursor] : t[.overlayText]
            let y = box.y + 2 + n - top
            if n == cursor { b.fill(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), style) }
            let cols = CallColumn.fitting(CallColumn.picker, width: box.width - 6)
            CallListView.drawRow(
                s.snapshot[i], cols, x: box.x + 1, y: y, width: box.width - 3, s, t, rowStyle: style, isCursor: n == cursor, into: &b)
        }
    }
}
