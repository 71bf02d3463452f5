import CallDashCore

/// The Elm-style heart of the UI: every event changes the state here and only here, and the
/// world is touched only through the effects returned.
extension AppState {
    public mutating func update(_ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handle(key)
        case .mouse(let m):
            return handle(m)
        case .resize(let w, let h):
            width = w
            height = h
            keepCursorVisible()
            if detail.wrap { rebuildDetail() } // wrapped to the new width
            clampDetailScroll()
            return []
        case .storeChanged(let snap, let now):
            return storeChanged(snap, now: now)
        case .tick(let t):
            now = t
            history.advance(to: t)
            if let m = message, m.until <= t { message = nil }
            if screen == .campaign { campaign.stale = true } // the window and the bars move with the clock
            return []
        case .listenChanged(let text):
            listen = text
            return []
        case .forwardsChanged:
            // The open detail shows the newest attempt; the rows read theirs when drawn.
            if let seq = detail.record?.seq, let last = forwards?.last(of: seq), last != detail.record?.forward {
                detail.record?.forward = last
                rebuildDetail()
            }
            return []
        case .recordLoaded(let seq, let result):
            guard seq == selectedSeq else { return [] }
            switch result {
            case .success(let r):
                detail.record = r
                detail.failure = nil
            case .failure(let f):
                detail.record = nil
                detail.failure = f.reason
            }
            rebuildDetail()
            if screen == .compose { refreshPreview() }
            return []
        case .urlChecked(let seq, let result):
            checking.remove(seq)
            checks[seq] = result
            if seq == selectedSeq { rebuildDetail() }
            return []
        case .frame:
            return startSearch() + startStats()
        case .statsComputed(let result):
            return statsComputed(result)
        case .searched(let result):
            return searched(result)
        case .message(let text, let isError):
            say(text, isError: isError)
            return []
        case .replayed(let seq, let verdict):
            replayed(seq, verdict)
            return []
        case .edited(let seq, let result):
            return edited(seq, result)
        case .webhooksLoaded, .webhookSaved, .webhookDeleted, .testSent:
            return inCompose { c, _ in
                c.handle(event)
                return []
            }
        }
    }

    mutating func say(_ text: String, isError: Bool = false) {
        message = Message(text: text, isError: isError, until: Timestamp(millis: now.millis + (isError ? 8_000 : 4_000)))
    }

    // MARK: the list

    /// Rows the list shows at once.
    var listRows: Int { max(1, layout.list.height) }

    mutating func storeChanged(_ snap: StoreSnapshot, now t: Timestamp) -> [Effect] {
        now = t
        let arrived = snap.counts.received &- lastReceived
        lastReceived = snap.counts.received
        if arrived > 0 { history.add(newest: Int(min(arrived, UInt64(snap.count))), of: snap, now: t) }
        let oldCursor = cursor
        snapshot = snap
        if screen == .campaign { campaign.stale = true }
        visible.refresh(snap)
        placeCursor()
        if !follow || focus == .detail { scroll += cursor - oldCursor } // the list stays still under a reader
        keepCursorVisible()
        return selectionChanged()
    }

    /// Puts the cursor on the head when following, else back on the selected call. While the
    /// detail has focus it stays on its call: following resumes when the list has focus again.
    mutating func placeCursor() {
        if (follow && focus == .list) || selectedSeq == nil {
            cursor = headRow
        } else if let seq = selectedSeq, let row = row(ofSeq: seq) {
            cursor = row
        } else if let seq = selectedSeq, visible.sort == .time, visible.count > 0 {
            // The selected call is filtered out: the nearest shown call after it, else the newest.
            let i = min(visible.keys.partitionPoint { VisibleCalls.seq(ofKey: $0) >= seq }, visible.count - 1)
            cursor = descending ? visible.count - 1 - i : i
        } else {
            cursor = min(cursor, max(0, visible.count - 1))
        }
    }

    mutating func keepCursorVisible() {
        let rows = listRows
        scroll = min(max(0, scroll), max(0, visible.count - rows))
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + rows { scroll = cursor - rows + 1 }
        scroll = max(0, scroll)
    }

    /// Moves the cursor to `row` (clamped); following resumes only on the head row.
    mutating func move(to row: Int) -> [Effect] {
        cursor = min(max(0, row), max(0, visible.count - 1))
        follow = cursor == headRow
        keepCursorVisible()
        return selectionChanged()
    }

    /// Loads the record under the cursor when it is not the one the detail shows.
    mutating func selectionChanged() -> [Effect] {
        selectedSeq = seq(ofRow: cursor)
        guard detail.seq != selectedSeq else { return [] }
        let wrap = detail.wrap // a way of reading, kept from call to call
        detail = DetailState()
        detail.seq = selectedSeq
        detail.wrap = wrap
        guard let summary = selected else { return [] }
        return [.loadRecord(summary)]
    }

    /// Shows `f` now (on this thread); a search still running for an older filter is dropped.
    mutating func apply(_ f: CallFilter, sort: SortKey? = nil) -> [Effect] {
        pendingFilter = nil
        let newSort = sort ?? visible.sort
        visible.apply(f, sort: newSort, to: snapshot)
        placeCursor()
        keepCursorVisible()
        return selectionChanged()
    }

    // MARK: the detail

    /// Focuses the detail (full screen on a small terminal); it stays on the call it shows.
    mutating func openDetail() {
        detailOpen = true
        focus = .detail
    }

    /// Back to the list, which jumps to the newest call if it was following.
    mutating func closeDetail() -> [Effect] {
        detailOpen = false
        guard focus == .detail else { return [] }
        focus = .list
        guard follow else { return [] }
        placeCursor()
        keepCursorVisible()
        return selectionChanged()
    }

    /// Calls newer than the one the detail shows, in the list as filtered.
    public var newerThanDetail: Int {
        guard let seq = detail.seq, let row = row(ofSeq: seq) else { return 0 }
        return descending ? row : visible.count - 1 - row
    }

    mutating func rebuildDetail() {
        guard let r = detail.record else {
            detail.lines = detail.failure.map { [StyledLine([("Cannot show this call: \($0)", .detailError)])] } ?? []
            return
        }
        let lines = DetailContent.lines(
            for: r, check: checks[r.seq], checking: checking.contains(r.seq), replay: replays[r.seq], raw: detail.raw, utcOffset: utcOffset)
        detail.lines = detail.wrap ? lines.flatMap { $0.wrapped(max(1, layout.detailBody.width - 1), continuation: "↪ ") } : lines
        if detail.wrap { detail.scrollX = 0 }
        clampDetailScroll()
    }

    var detailRows: Int { max(1, layout.detailBody.height) }

    mutating func clampDetailScroll() {
        detail.scroll = min(max(0, detail.scroll), max(0, detail.lines.count - detailRows))
        detail.scrollX = max(0, detail.scrollX)
    }

    mutating func scrollDetail(by n: Int) {
        detail.scroll += n
        clampDetailScroll()
    }

    // MARK: mouse

    mutating func handle(_ m: MouseEvent) -> [Effect] {
        guard modals.isEmpty else { return [] }
        if screen == .compose {
            // A click ends the line being typed, keeping it; other modes ignore the mouse.
            if case .editing = compose.modals.top { compose.modals.pop() }
            guard compose.modals.isEmpty else { return [] }
            return inCompose { c, ctx in
                c.mouse(m, ctx)
                return []
            }
        }
        let l = layout
        let inList = l.list.contains(x: m.x, y: m.y)
        let inDetail = l.detail.contains(x: m.x, y: m.y)
        switch m.kind {
        case .click:
            if inList {
                focus = .list
                return move(to: scroll + m.y - l.list.y)
            }
            if inDetail { openDetail() }
            return []
        case .wheelUp, .wheelDown:
            let n = m.kind == .wheelUp ? -3 : 3
            if inDetail {
                scrollDetail(by: n)
                return []
            }
            if inList { return move(to: cursor + n) }
            return []
        }
    }
}
