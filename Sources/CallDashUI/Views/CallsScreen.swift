/// Draws the screen that is up: the one entry point the terminal layer calls.
public enum AppScreen {
    public static func render(_ s: AppState, into b: inout CellBuffer) {
        switch s.screen {
        case .calls: CallsScreen.render(s, into: &b)
        case .compose: ComposeScreen.render(s, into: &b)
        case .campaign: CampaignScreen.render(s, into: &b)
        }
    }
}

/// Draws the whole Calls screen for a state.
public enum CallsScreen {
    public static func render(_ s: AppState, into b: inout CellBuffer) {
        let t = s.theme
        b.fill(b.area, t[.base])
        let l = s.layout
        if l.tooSmall {
            tooSmall(s, t, into: &b)
            return
        }
        HeaderView.render(s, t, in: l.header, into: &b)
        CallListView.render(s, t, header: l.listHeader, list: l.list, into: &b)
        DetailView.render(s, t, in: l.detail, body: l.detailBody, into: &b)
        FooterView.render(s, t, in: l.footer, into: &b)
        HelpOverlay.render(s, in: b.area, into: &b)
    }

    /// What a screen shows below the size it needs.
    static func tooSmall(
        _ s: AppState, _ t: Theme, title: String = "Terminal too small",
        needs: (width: Int, height: Int) = (CallsLayout.minWidth, CallsLayout.minHeight), what: String = "CallDash",
        hint: String = "q quits",
        into b: inout CellBuffer
    ) {
        let lines = [title, "\(s.width)×\(s.height): \(what) needs \(needs.width)×\(needs.height)", hint]
        for (n, text) in lines.enumerated() {
            let y = s.height / 2 - 1 + n
            let w = TextWidth.of(text)
            b.put(text, x: max(0, (s.width - w) / 2), y: y, n == 0 ? t[.detailWarning] : t[.detailLabel], ellipsis: true)
        }
    }
}
