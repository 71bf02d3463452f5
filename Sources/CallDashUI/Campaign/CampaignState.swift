import CallDashCore

/// The span of `received_at` the Campaign screen counts, cycled by a key.
public enum CampaignWindow: CaseIterable, Sendable {
    case all, fifteenMinutes, oneHour, oneDay

    public var since: Int64? {
        switch self {
        case .all: nil
        case .fifteenMinutes: 900
        case .oneHour: 3600
        case .oneDay: 86_400
        }
    }

    public var label: String {
        switch self {
        case .all: "all held"
        case .fifteenMinutes: "last 15 m"
        case .oneHour: "last hour"
        case .oneDay: "last 24 h"
        }
    }

    var next: CampaignWindow {
        switch self {
        case .all: .fifteenMinutes
        case .fifteenMinutes: .oneHour
        case .oneHour: .oneDay
        case .oneDay: .all
        }
    }
}

/// What the Campaign screen shows: its choices, and the figures last computed for them.
public struct CampaignState: Equatable, Sendable {
    public var window = CampaignWindow.all
    public var bucket = SeriesBucket.oneMinute
    /// What the table breaks the calls down by.
    public var dimension = StatsDimension.field(.flowID)
    /// The highlighted breakdown row, and the first row shown.
    public var cursor = 0
    public var scroll = 0
    public var figures: CampaignFigures?
    /// Why the last computation failed (shown in place); nil when it did not.
    public var failure: String?
    /// The figures are out of date (new reports, another choice); a computation starts at the next frame.
    var stale = true
    var inFlight = false
    /// When the last computation started (the dashboard's clock): arrivals and ticks start one
    /// at most once a second, a scan of a million reports taking a fifth of it.
    var lastStart: Int64?
    /// What full chunks add to the figures, kept from one computation to the next (and for
    /// the next time the screen opens).
    let cache = StatsCache()

    public init() {}

    /// Equal when everything shown and chosen is (the cache only saves work).
    public static func == (a: CampaignState, b: CampaignState) -> Bool {
        (a.window, a.bucket, a.dimension, a.cursor, a.scroll) == (b.window, b.bucket, b.dimension, b.cursor, b.scroll)
            && (a.figures, a.failure, a.stale, a.inFlight, a.lastStart) == (b.figures, b.failure, b.stale, b.inFlight, b.lastStart)
    }

    /// The query for the choices made, with a series as wide as the chart's `bars`.
    func query(bars: Int) -> StatsQuery {
        var q = StatsQuery(since: window.since, by: [dimension], series: bucket, top: 200)
        q.seriesSpan = bucket.seconds * Int64(max(1, bars))
        return q
    }
}

/// The figures as computed for one query, and how often reports arrived lately.
public struct CampaignFigures: Equatable, Sendable {
    public var stats: CampaignStats
    public var query: StatsQuery
    public var pace: ReportPace?
}

/// A computation of the Campaign figures, off the UI thread (answered with `.statsComputed`).
public struct StatsJob: Sendable, Equatable {
    public var snapshot: StoreSnapshot
    public var query: StatsQuery
    public var now: Timestamp
    var cache: StatsCache?

    public func run() -> Result<CampaignFigures, StatsQueryError> {
        Result { () throws(StatsQueryError) in
            CampaignFigures(
                stats: try CampaignStats.compute(snapshot, query, now: now, cache: cache), query: query, pace: ReportPace(snapshot))
        }
    }

    public static func == (a: StatsJob, b: StatsJob) -> Bool { a.query == b.query && a.snapshot.version == b.snapshot.version }
}
