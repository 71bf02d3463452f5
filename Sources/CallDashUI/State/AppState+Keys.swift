import CallDashCore

/// Key dispatch: the open mode first (`modals`), then the screen's binding tables.
extension AppState {
    mutating func handle(_ key: Key) -> [Effect] {
        if key == .ctrl("c") { return [.quit] }
        // What a key did last ("following the newest call") would contradict what the next one does.
        if let m = message, !m.isError { message = nil }
        if key == .escape, message != nil, !typing {
            message = nil // an error stays until read: Esc dismisses it, and does nothing else
            return []
        }
        if case .alt(let c) = key, !typing {
            // Esc and a key typed at once: outside a line being typed both count.
            return handle(.escape) + handle(.char(c))
        }
        switch modals.top {
        case .help(let scroll): return helpKey(key, scroll: scroll)
        case .search(let editor): return searchKey(key, editor)
        case .replayTarget(let editor, let next): return replayTargetKey(key, editor, then: next)
        case nil: break
        }
        if screen == .compose { return inCompose { $0.handle(key, $1) } }
        if screen == .campaign { return campaignKey(key) }
        if focus == .detail, let command = CallsBindings.detail.command(for: key) { return detailCommand(command) }
        guard let command = CallsBindings.list.command(for: key) else { return [] }
        return listCommand(command)
    }

    /// Whether a line is being typed (where Alt-key is an editing key of its own).
    var typing: Bool {
        modals.search != nil || modals.replayTarget != nil || (screen == .compose && compose.modals.editing != nil)
    }

    mutating func openSearch() {
        modals.push(.search(LineEditor((pendingFilter ?? filter).text)))
    }

    mutating func openHelp(at line: Int = 0) {
        modals.push(.help(scroll: line))
    }

    private mutating func helpKey(_ key: Key, scroll: Int) -> [Effect] {
        guard let command = CallsBindings.help.command(for: key) else { return [] }
        // The overlay shows its lines less four of frame in a box two short of the screen.
        let last = max(0, HelpOverlay.lineCount(screen) - (height - 6))
        func to(_ n: Int) { modals.replaceTop(.help(scroll: min(max(0, n), last))) }
        switch command {
        case .quit: return quit()
        case .close: modals.pop()
        case .down: to(scroll + 1)
        case .up: to(scroll - 1)
        case .pageDown: to(scroll + max(1, height - 7)) // the lines shown, less one kept for context
        case .pageUp: to(scroll - max(1, height - 7))
        case .top: to(0)
        case .bottom: to(last)
        }
        return []
    }

    /// Typing edits the search text (with the line editor Compose uses); at the next `.frame`
    /// the search starts off the UI thread (`startSearch`), so no key waits for a scan.
    private mutating func searchKey(_ key: Key, _ editor: LineEditor) -> [Effect] {
        var f = pendingFilter ?? filter
        if let command = CallsBindings.search.command(for: key) {
            modals.pop()
            switch command {
            case .apply:
                return startSearch() // the list shows it once it is done
            case .clear:
                f.text = ""
                pendingFilter = nil
                return apply(f)
            case .moveList:
                // Moving needs the searched list: this one key waits for the search.
                let shown = pendingFilter.map { apply($0) } ?? []
                if screen == .compose { return shown + inCompose { $0.handle(key, $1) } } // the call picker's move
                guard let move = CallsBindings.list.command(for: key) else { return shown }
                return shown + listCommand(move)
            }
        }
        var editor = editor
        if case .paste(let text) = key {
            editor.insert(text.filter { !$0.isNewline })
        } else {
            guard editor.handle(key) else { return [] }
        }
        modals.replaceTop(.search(editor))
        guard editor.text != f.text else { return [] }
        f.text = editor.text
        pendingFilter = f
        return []
    }

    /// Hands the search typed since the last frame to a search off the UI thread, unless one
    /// is running (its answer starts the next): a keystroke never waits for a scan of the store.
    mutating func startSearch() -> [Effect] {
        guard let f = pendingFilter, searchInFlight == nil else { return [] }
        searchInFlight = f
        return [.search(SearchJob(calls: visible, filter: f, snapshot: snapshot))]
    }

    /// A search has answered: shown when it is still what was typed (with the arrivals since
    /// it started), else dropped and the latest one started.
    mutating func searched(_ result: VisibleCalls) -> [Effect] {
        searchInFlight = nil
        guard result.filter == pendingFilter else { return startSearch() }
        pendingFilter = nil
        visible = result
        visible.refresh(snapshot)
        placeCursor()
        keepCursorVisible()
        if compose.modals.callPicker != nil { compose.modals.replaceTop(.callPicker(row: cursor)) }
        return selectionChanged()
    }

    private mutating func detailCommand(_ command: DetailCommand) -> [Effect] {
        let page = max(1, detailRows - 1)
        switch command {
        case .down: scrollDetail(by: 1)
        case .up: scrollDetail(by: -1)
        case .pageDown: scrollDetail(by: page)
        case .pageUp: scrollDetail(by: -page)
        case .halfPageDown: scrollDetail(by: max(1, page / 2))
        case .halfPageUp: scrollDetail(by: -max(1, page / 2))
        case .top: detail.scroll = 0
        case .bottom: scrollDetail(by: detail.lines.count)
        case .left: detail.scrollX = max(0, detail.scrollX - 8)
        case .right: detail.scrollX += 8
        case .back: return closeDetail()
        }
        return []
    }

    mutating func listCommand(_ command: CallsCommand) -> [Effect] {
        let page = max(1, listRows - 1)
        var f = pendingFilter ?? filter // a search still running is part of what the user filters
        switch command {
        case .quit: return quit()
        case .help: openHelp()
        case .down: return move(to: cursor + 1)
        case .up: return move(to: cursor - 1)
        case .pageDown: return move(to: cursor + page)
        case .pageUp: return move(to: cursor - page)
        case .halfPageDown: return move(to: cursor + max(1, page / 2))
        case .halfPageUp: return move(to: cursor - max(1, page / 2))
        case .first: return move(to: 0)
        case .last: return move(to: visible.count - 1)
        case .follow:
            say("following the newest call")
            return move(to: headRow)
        case .openDetail: openDetail()
        case .switchFocus: openDetail() // on a small terminal, in place of the list
        case .back:
            if !filter.text.isEmpty {
                f.text = ""
                return apply(f)
            }
            return closeDetail()
        case .search: openSearch()
        case .compose:
            return openCompose()
        case .campaign:
            return openCampaign()
        case .toggleStatus(let slot):
            if f.statuses.contains(slot) { f.statuses.remove(slot) } else { f.statuses.insert(slot) }
            return apply(f)
        case .clearFilters:
            guard !filter.isEmpty else { return [] }
            say("filters cleared")
            return apply(CallFilter())
        case .duplicatesOnly:
            f.duplicatesOnly.toggle()
            say(f.duplicatesOnly ? "provider retries only: deliveries that repeat an earlier call (d shows all)" : "all calls")
            return apply(f)
        case .rejectedOnly:
            f.rejectedOnly.toggle()
            return apply(f)
        case .sortNext:
            let next: SortKey
            switch visible.sort {
            case .time: next = .duration
            case .duration: next = .status
            case .status: next = .time
            }
            descending = next.descendingByDefault
            say("sorted by \(next.rawValue)")
            return apply(f, sort: next)
        case .sortReverse:
            descending.toggle()
            placeCursor()
            keepCursorVisible()
            return selectionChanged()
        case .nextTheme: nextTheme()
        case .rawBody:
            detail.raw.toggle()
            rebuildDetail()
        case .wrapLines:
            detail.wrap.toggle()
            rebuildDetail()
            say(detail.wrap ? "long lines wrapped (w scrolls them sideways again)" : "long lines scroll sideways (h/l)")
        case .copyURL:
            guard let url = recordingURL() else { return [] }
            say("sent the recording URL to the terminal's clipboard (OSC 52; in tmux it needs set-clipboard on)")
            return [.copy(url)]
        case .openURL:
            guard let url = recordingURL() else { return [] }
            return [.open(url)]
        case .replay:
            return replaySelected(edit: false)
        case .editAndReplay:
            return replaySelected(edit: true)
        case .changeReplayURL:
            modals.push(.replayTarget(LineEditor(replayURL ?? ""), then: .keepURL))
        case .checkURL:
            guard let url = recordingURL(), let seq = selectedSeq else { return [] }
            checking.insert(seq)
            rebuildDetail()
            return [.check(seq: seq, url: url)]
        case .export(let format):
            guard visible.count > 0 else {
                say("nothing to export: the list is empty", isError: true)
                return []
            }
            let seqs = (0..<visible.count).compactMap { seq(ofRow: $0) }
            say("exporting \(CallText.count(seqs.count)) calls…")
            return [.export(format, seqs: seqs)]
        }
        return []
    }

    /// Quits, unless a webhook has unsaved changes: then Compose asks first (Ctrl-C never asks).
    mutating func quit() -> [Effect] {
        guard compose.draft?.isDirty == true else { return [.quit] }
        modals.removeAll()
        compose.modals.push(.confirm(.quit(from: screen == .compose ? nil : screen)))
        screen = .compose
        return []
    }

    /// The selected call's recording URL, or nil with a message saying why there is none.
    private mutating func recordingURL() -> String? {
        guard let s = selected else {
            say("no call selected", isError: true)
            return nil
        }
        guard let url = s.fields[.recordingURL], !url.isEmpty else {
            say("call #\(s.seq) has no recording URL", isError: true)
            return nil
        }
        return url
    }

    /// The next theme that suits the terminal's background, when it is known; when it is not,
    /// a theme for a light background says so, in case the text turned unreadable.
    mutating func nextTheme() {
        let order = (1...themes.count).map { (themeIndex + $0) % themes.count }
        let next = order.first { themes[$0].background.suits(terminalBackground) } ?? themeIndex
        let skipped = order.prefix { $0 != next }.map { themes[$0].name }
        themeIndex = next
        if !skipped.isEmpty {
            say(
                "theme: \(theme.name) (skipped \(skipped.joined(separator: ", ")): made for a \(themes[order[0]].background.rawValue) background)"
            )
        } else if terminalBackground == .any, theme.background == .light {
            say("theme: \(theme.name), made for a light terminal background (t for the next)")
        } else {
            say("theme: \(theme.name)")
        }
    }
}
