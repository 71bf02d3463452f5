import CallDashCore

/// The Campaign screen as the dashboard drives it: opening it, its keys, and its figures,
/// computed off the UI thread whenever the store, the clock or a choice changed.
extension AppState {
    mutating func openCampaign() -> [Effect] {
        screen = .campaign
        message = nil
        campaign.stale = true
        return startStats(now: true)
    }

    var campaignLayout: CampaignLayout { CampaignLayout(width: width, height: height) }

    /// Starts a computation when the figures are out of date and none is running (its answer
    /// starts the next): a key never waits for a scan of the store.
    mutating func startStats(now force: Bool = false) -> [Effect] {
        guard screen == .campaign, campaign.stale, !campaign.inFlight else { return [] }
        if !force, let last = campaign.lastStart, now.millis - last < 1000 { return [] }
        campaign.lastStart = now.millis
        campaign.stale = false
        campaign.inFlight = true
        return [
            .computeStats(StatsJob(snapshot: snapshot, query: campaign.query(bars: campaignLayout.bars), now: now, cache: campaign.cache))
        ]
    }

    mutating func statsComputed(_ result: Result<CampaignFigures, StatsQueryError>) -> [Effect] {
        campaign.inFlight = false
        switch result {
        case .success(let figures):
            campaign.figures = figures
            campaign.failure = nil
            clampCampaignCursor()
        case .failure(let e):
            campaign.failure = e.problem
        }
        return startStats()
    }

    /// The breakdown by the field chosen, once it is counted (until then, none: the rows of the
    /// field before must not be shown, nor acted on, under the new one's name).
    var campaignBreakdown: StatsBreakdown? {
        campaign.figures?.stats.breakdowns.first.flatMap { $0.dimension == campaign.dimension ? $0 : nil }
    }

    /// The breakdown's rows as shown: its values, then "others".
    var campaignRows: [(row: StatsRow, isOthers: Bool)] { campaignBreakdown?.listed ?? [] }

    mutating func clampCampaignCursor() {
        let rows = campaignRows.count
        let shown = max(1, campaignLayout.tableRows)
        campaign.cursor = min(max(0, campaign.cursor), max(0, rows - 1))
        campaign.scroll = min(max(0, campaign.scroll), max(0, rows - shown))
        if campaign.cursor < campaign.scroll { campaign.scroll = campaign.cursor }
        if campaign.cursor >= campaign.scroll + shown { campaign.scroll = campaign.cursor - shown + 1 }
    }

    mutating func campaignKey(_ key: Key) -> [Effect] {
        guard let command = CampaignBindings.screen.command(for: key) else { return [] }
        let page = max(1, campaignLayout.tableRows - 1)
        switch command {
        case .down: campaign.cursor += 1
        case .up: campaign.cursor -= 1
        case .pageDown: campaign.cursor += page
        case .pageUp: campaign.cursor -= page
        case .top: campaign.cursor = 0
        case .bottom: campaign.cursor = campaignRows.count - 1
        case .openCalls: return openCallsForRow()
        case .nextWindow:
            campaign.window = campaign.window.next
            say("window: \(campaign.window.label)")
            return rechoose()
        case .finer, .coarser:
            let all = SeriesBucket.allCases // finest first
            let i = all.firstIndex(of: campaign.bucket) ?? 0
            campaign.bucket = all[min(max(0, i + (command == .finer ? -1 : 1)), all.count - 1)]
            say("bars of \(campaign.bucket.rawValue)")
            return rechoose()
        case .nextField, .previousField:
            let n = StatsDimension.all.count
            let i = StatsDimension.all.firstIndex(of: campaign.dimension) ?? 0
            campaign.dimension = StatsDimension.all[(i + (command == .nextField ? 1 : n - 1)) % n]
            campaign.cursor = 0
            campaign.scroll = 0
            return rechoose()
        case .export:
            guard let stats = campaign.figures?.stats else { return [] }
            return [.exportCampaign(csv: stats.csv())]
        case .back:
            screen = .calls
            message = nil
            return []
        case .help: openHelp()
        case .nextTheme: nextTheme()
        case .quit: return quit()
        }
        clampCampaignCursor()
        return []
    }

    /// Another choice: the figures shown are for the old one until the new ones come.
    private mutating func rechoose() -> [Effect] {
        campaign.stale = true
        return startStats(now: true)
    }

    /// Enter on a breakdown row: Calls, filtered to the row's value (`/flow_id=204`).
    private mutating func openCallsForRow() -> [Effect] {
        guard let (row, isOthers) = campaignRows[safe: campaign.cursor] else { return [] }
        guard case .field(let field) = campaign.dimension else {
            say("\(campaign.dimension) is not a field of the report: Calls cannot filter by it (b picks a field)")
            return []
        }
        if isOthers {
            say("others sums the values past the first \(campaignRows.count - 1): Enter on one of those, or / to search Calls")
            return []
        }
        guard !row.value.isEmpty, !row.value.contains(" ") else {
            say(
                row.value.isEmpty
                    ? "these calls have no \(field.rawValue): the search cannot name them"
                    : "a value with spaces cannot be searched as field=value")
            return []
        }
        screen = .calls
        focus = .list
        var f = CallFilter()
        f.text = "\(field.rawValue)=\(row.value)"
        say("calls with \(f.text): every one held, retries (↻) included (Esc clears, a goes back to the campaign)")
        return apply(f)
    }
}
