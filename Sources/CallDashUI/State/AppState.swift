import CallDashCore

/// Which pane keys go to.
public enum Focus: Equatable, Sendable { case list, detail }

/// Everything the Calls screen shows. Changed only by `update`; drawn by the views.
public struct AppState: Sendable {
    /// "http://127.0.0.1:8080", shown in the header.
    public var listen: String
    /// "journal.jsonl (replayed 1,204)" or "no journal", shown in the header.
    public var journal: String
    public var width: Int
    public var height: Int
    /// Seconds east of UTC for displayed times.
    public var utcOffset: Int

    public var snapshot: StoreSnapshot
    public var visible = VisibleCalls()
    public var descending = true
    /// Rows counted from the top of the list as shown.
    public var cursor = 0
    public var scroll = 0
    /// The cursor rides the newest call until the user moves away.
    public var follow = true
    public var selectedSeq: UInt64?

    public var focus = Focus.list
    /// On small terminals the detail replaces the list while open.
    public var detailOpen = false
    public var detail = DetailState()
    /// HEAD results for recording URLs, by seq (only the few the user asked for).
    public var checks: [UInt64: URLCheck] = [:]
    public var checking: Set<UInt64> = []
    /// Where `R` and `M` send calls (asked once and kept for the run; `U` changes it), and how
    /// each call's replay went, by seq.
    public var replayURL: String?
    /// The last URL typed for it that could not be used: offered again to be corrected.
    var rejectedURL: String?
    public var replays: [UInt64: ReplayState] = [:]
    /// The receiver followed by `watch --remote`, whose calls these are; nil for one here.
    public var remote: String?
    /// Each call's last attempt to forward it to the user's app, when the receiver forwards
    /// (`--forward-to`); read for the rows on screen.
    public var forwards: ForwardLog?

    /// A search typed but not yet shown: it is handed to a search off the UI thread at the next
    /// `.frame`, and shown when that answers (`.searched`), unless more was typed meanwhile.
    public var pendingFilter: CallFilter?
    /// The search running off the UI thread, if any: at most one runs, the latest typed next.
    public var searchInFlight: CallFilter?
    /// The dashboard's open modes (help, a search being typed); Compose keeps its own.
    public var modals = ModalStack<Modal>()
    public var message: Message?
    /// The Calls filter and selection to go back to when the call picker, which searched, closes.
    var pickerReturn: PickerReturn?

    public var history = ArrivalHistory()
    /// `counts.received` at the last store change; arrivals are the difference.
    public var lastReceived: UInt64
    public var now: Timestamp

    public var themes: [Theme]
    public var themeIndex = 0
    /// The terminal's background when it is known: `t` skips themes made for the other one.
    public var terminalBackground: ThemeBackground = .any

    public var screen = Screen.calls
    public var compose: ComposeState
    public var campaign = CampaignState()

    struct PickerReturn: Equatable, Sendable {
        var filter: CallFilter
        var seq: UInt64?
    }

    public struct Message: Equatable, Sendable {
        public var text: String
        public var isError: Bool
        public var until: Timestamp
    }

    public init(
        listen: String, journal: String, width: Int, height: Int, snapshot: StoreSnapshot, themes: [Theme] = [.dark], now: Timestamp,
        utcOffset: Int = 0, compose: ComposeState = ComposeState(folder: "", secrets: SecretSource(environment: [:]))
    ) {
        self.compose = compose
        self.listen = listen
        self.journal = journal
        self.width = width
        self.height = height
        self.snapshot = snapshot
        self.themes = themes.isEmpty ? [.dark] : themes
        self.now = now
        self.utcOffset = utcOffset
        lastReceived = snapshot.counts.received
        history.advance(to: now)
        visible.apply(CallFilter(), sort: .time, to: snapshot)
    }

    public var theme: Theme { themes[themeIndex % themes.count] }
    /// Whether the screen up shows the store, so that new reports need a new frame.
    public var showsStore: Bool { screen != .compose }
    public var layout: CallsLayout { CallsLayout(width: width, height: height, detailOpen: detailOpen) }
    public var filter: CallFilter { visible.filter }
    public var searching: Bool { modals.search != nil }
    /// The search text as typed so far, applied or not.
    public var searchText: String { (pendingFilter ?? filter).text }

    /// The row the newest call is on in the current order.
    public var headRow: Int { descending ? 0 : max(0, visible.count - 1) }

    /// The position in `visible.keys` of the row shown at `row`.
    public func keyIndex(ofRow row: Int) -> Int { descending ? visible.count - 1 - row : row }

    public func seq(ofRow row: Int) -> UInt64? {
        guard row >= 0, row < visible.count else { return nil }
        return VisibleCalls.seq(ofKey: visible.keys[keyIndex(ofRow: row)])
    }

    public func row(ofSeq seq: UInt64) -> Int? {
        visible.position(ofSeq: seq, in: snapshot).map { descending ? visible.count - 1 - $0 : $0 }
    }

    /// The summary of the selected call, when it is still held.
    public var selected: ReportSummary? {
        guard let seq = selectedSeq, let i = snapshot.index(ofSeq: seq) else { return nil }
        return snapshot[i]
    }
}

/// The detail pane's content: the record being shown and where it is scrolled to.
public struct DetailState: Sendable {
    public var seq: UInt64?
    public var record: DeliveryRecord?
    public var failure: String?
    public var lines: [StyledLine] = []
    public var scroll = 0
    public var scrollX = 0
    /// Show the body as it arrived instead of pretty-printed.
    public var raw = false
    /// Wrap long lines to the pane (a raw body is one long line) instead of scrolling sideways.
    public var wrap = false

    public init() {}
}

/// A line of text made of spans, each styled by a theme role.
public struct StyledLine: Equatable, Sendable {
    public var spans: [(text: String, role: ThemeRole)]

    public init(_ spans: [(String, ThemeRole)] = []) { self.spans = spans.map { (text: $0.0, role: $0.1) } }

    public static func == (a: StyledLine, b: StyledLine) -> Bool {
        a.spans.count == b.spans.count && zip(a.spans, b.spans).allSatisfy { $0.text == $1.text && $0.role == $1.role }
    }

    public var text: String { spans.map(\.text).joined() }
}

extension AppState {
    /// Every theme with its colours dropped (`NO_COLOR`).
    public var withoutColors: AppState {
        var s = self
        s.themes = themes.map(\.withoutColors)
        return s
    }
}
