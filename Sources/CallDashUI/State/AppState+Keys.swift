import CallDashCore

/// What each key does on the Calls screen (the table the help overlay shows is `KeyHelp`).
extension AppState {
    mutating func handle(_ key: Key) -> [Effect] {
        if key == .ctrl("c") { return [.quit] }
        if showHelp {
            switch key {
            case .char("q"): return [.quit]
            case .char("?"), .escape, .enter: showHelp = false
            case .char("j"), .down, .char(" "), .pageDown: helpScroll += key == .char("j") || key == .down ? 1 : 10
            case .char("k"), .up, .pageUp: helpScroll = max(0, helpScroll - (key == .pageUp ? 10 : 1))
            default: break
            }
            return []
        }
        if case .alt(let c) = key, !(screen == .calls ? searching : compose.editor != nil) {
            // Esc and a key typed at once: outside a line editor both count.
            return handle(.escape) + handle(.char(c))
        }
        if screen == .compose { return composeKey(key) }
        if searching { return searchKey(key) }
        if focus == .detail, let effects = detailKey(key) { return effects }
        return listKey(key)
    }

    /// Typing edits the search text (with the line editor Compose uses); the list is filtered
    /// once per frame (`.frame`), so keys typed faster than a search of the whole store cost one
    /// search, not one each.
    private mutating func searchKey(_ key: Key) -> [Effect] {
        var f = pendingFilter ?? filter
        switch key {
        case .enter:
            search = nil
            return applyPending()
        case .escape:
            search = nil
            f.text = ""
            pendingFilter = nil
            return apply(f)
        case .up, .down, .pageUp, .pageDown:
            return applyPending() + listKey(key)
        case .paste(let text):
            search!.insert(text.filter { !$0.isNewline })
        default:
            guard search!.handle(key) else { return [] }
        }
        guard search!.text != f.text else { return [] }
        f.text = search!.text
        pendingFilter = f
        return []
    }

    /// Applies a search typed since the last frame.
    mutating func applyPending() -> [Effect] {
        guard let f = pendingFilter else { return [] }
        pendingFilter = nil
        return apply(f)
    }

    /// Keys that mean something else while the detail has focus; nil passes the key on.
    private mutating func detailKey(_ key: Key) -> [Effect]? {
        let page = max(1, detailRows - 1)
        switch key {
        case .char("j"), .down: scrollDetail(by: 1)
        case .char("k"), .up: scrollDetail(by: -1)
        case .pageDown, .char(" "), .ctrl("d"): scrollDetail(by: page)
        case .pageUp, .ctrl("u"): scrollDetail(by: -page)
        case .char("g"), .home: detail.scroll = 0
        case .char("G"), .end: scrollDetail(by: detail.lines.count)
        case .char("h"), .left: detail.scrollX = max(0, detail.scrollX - 8)
        case .char("l"), .right: detail.scrollX += 8
        case .escape, .tab, .backTab:
            focus = .list
            if !layout.split { detailOpen = false }
        default: return nil
        }
        return []
    }

    private mutating func listKey(_ key: Key) -> [Effect] {
        let page = max(1, listRows - 1)
        var f = filter
        switch key {
        case .char("q"): return [.quit]
        case .char("?"):
            showHelp = true
            helpScroll = 0
        case .char("j"), .down: return move(to: cursor + 1)
        case .char("k"), .up: return move(to: cursor - 1)
        case .pageDown, .ctrl("f"): return move(to: cursor + page)
        case .pageUp, .ctrl("b"): return move(to: cursor - page)
        case .ctrl("d"): return move(to: cursor + page / 2)
        case .ctrl("u"): return move(to: cursor - page / 2)
        case .char("g"), .home: return move(to: 0)
        case .char("G"), .end: return move(to: visible.count - 1)
        case .char("f"):
            say("following the newest call")
            return move(to: headRow)
        case .enter:
            detailOpen = true
            focus = .detail
        case .tab, .backTab:
            if layout.split || detailOpen { focus = focus == .list ? .detail : .list }
        case .escape:
            if !filter.text.isEmpty {
                f.text = ""
                return apply(f)
            }
            detailOpen = false
            focus = .list
        case .char("/"):
            search = LineEditor(filter.text)
        case .char("c"):
            return openCompose()
        case .char(let c) where ("1"..."9").contains(c):
            let slot = Int(String(c))! - 1
            if f.statuses.contains(slot) { f.statuses.remove(slot) } else { f.statuses.insert(slot) }
            return apply(f)
        case .char("0"):
            guard !filter.isEmpty else { return [] }
            say("filters cleared")
            return apply(CallFilter())
        case .char("x"):
            f.rejectedOnly.toggle()
            return apply(f)
        case .char("s"):
            let all = SortKey.allCases
            let next = all[(all.firstIndex(of: visible.sort)! + 1) % all.count]
            descending = next.descendingByDefault
            say("sorted by \(next.rawValue)")
            return apply(f, sort: next)
        case .char("S"):
            descending.toggle()
            placeCursor()
            keepCursorVisible()
            return selectionChanged()
        case .char("t"):
            themeIndex = (themeIndex + 1) % themes.count
            say("theme: \(theme.name)")
        case .char("r"):
            detail.raw.toggle()
            rebuildDetail()
        case .char("y"):
            guard let url = recordingURL() else { return [] }
            say("copied the recording URL (to the terminal's clipboard, OSC 52)")
            return [.copy(url)]
        case .char("o"):
            guard let url = recordingURL() else { return [] }
            return [.open(url)]
        case .char("v"):
            guard let url = recordingURL(), let seq = selectedSeq else { return [] }
            checking.insert(seq)
            rebuildDetail()
            return [.check(seq: seq, url: url)]
        case .char("e"), .char("E"):
            guard visible.count > 0 else {
                say("nothing to export: the list is empty", isError: true)
                return []
            }
            let seqs = (0..<visible.count).map { seq(ofRow: $0)! }
            say("exporting \(CallText.count(seqs.count)) calls…")
            return [.export(key == .char("e") ? .csv : .jsonLines, seqs: seqs)]
        default:
            break
        }
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
}
