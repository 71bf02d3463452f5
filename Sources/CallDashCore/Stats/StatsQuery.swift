/// What a breakdown groups by: a standard field, or a value derived from one.
public enum StatsDimension: Hashable, Sendable, CustomStringConvertible {
    case field(ReportField)
    /// The hour of `start_at`, "00"–"23".
    case hour
    /// The date of `start_at`, "YYYY-MM-DD".
    case date
    /// The compose webhook a delivery was mapped through.
    case webhook

    public init?(name: String) {
        let name = name.lowercased()
        switch name {
        case "hour": self = .hour
        case "date": self = .date
        case "webhook": self = .webhook
        default:
            guard let f = ReportField(key: name) else { return nil }
            self = .field(f)
        }
    }

    public var description: String {
        switch self {
        case .field(let f): f.rawValue
        case .hour: "hour"
        case .date: "date"
        case .webhook: "webhook"
        }
    }

    /// Every dimension, in the order a picker offers them: the ones a campaign is read by first.
    public static let all: [StatsDimension] =
        [.field(.status), .field(.flowID), .field(.bridge), .field(.source), .hour, .date, .webhook]
        + [ReportField.webhookID, .from, .to, .mid, .startAt, .endAt, .duration, .recordingURL].map { .field($0) }
}

/// The width of one bar of the arrivals series.
public enum SeriesBucket: String, CaseIterable, Sendable {
    case oneMinute = "1m"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case oneHour = "1h"

    public var seconds: Int64 {
        switch self {
        case .oneMinute: 60
        case .fiveMinutes: 300
        case .fifteenMinutes: 900
        case .oneHour: 3600
        }
    }
}

/// A parameter of a statistics request that cannot be used, and why.
public struct StatsQueryError: Error, Equatable, CustomStringConvertible {
    public var parameter: String
    public var problem: String

    public var description: String { "\(parameter): \(problem)" }
}

/// Which statistics to compute: the window, the breakdowns, the series, the thresholds.
public struct StatsQuery: Equatable, Sendable {
    /// Seconds back from now; nil is everything held.
    public var since: Int64?
    public var by: [StatsDimension] = []
    public var series: SeriesBucket?
    /// Answered calls shorter than this many seconds are short.
    public var short = 6
    /// Breakdown values listed, most calls first; the rest are summed as "others".
    public var top = 20
    /// The series covers only this many seconds back from now (a screen's width of bars), when
    /// shorter than the window; nil covers the window.
    public var seriesSpan: Int64?

    public init(since: Int64? = nil, by: [StatsDimension] = [], series: SeriesBucket? = nil, short: Int = 6, top: Int = 20) {
        self.since = since
        self.by = by
        self.series = series
        self.short = short
        self.top = top
    }

    /// The most points a series may have: a finer bucket over a longer window is refused.
    public static let maxPoints = 10_000
    /// Breakdowns in one request: each tracks up to 100,000 values a core.
    public static let maxBreakdowns = 3
    public static let parameters = ["since", "by", "series", "short", "top"]

    /// The query of `/_calldash/stats` (and of `calldash stats`'s options), every parameter
    /// checked; the error names the first one that cannot be used.
    public init(parameters: [(name: String, value: String)]) throws(StatsQueryError) {
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard name == "by" || seen.insert(name).inserted else {
                throw StatsQueryError(parameter: name, problem: "given twice (only by= repeats)")
            }
            switch name {
            case "since":
                guard let s = Self.duration(value) else {
                    throw StatsQueryError(parameter: name, problem: "'\(value)' is not a duration such as 15m, 1h, 24h or 7d")
                }
                since = s
            case "by":
                guard let d = StatsDimension(name: value) else {
                    let names = StatsDimension.all.map(\.description).joined(separator: ", ")
                    throw StatsQueryError(parameter: name, problem: "'\(value)' is not a field (\(names))")
                }
                if !by.contains(d) { by.append(d) }
                guard by.count <= Self.maxBreakdowns else {
                    throw StatsQueryError(parameter: name, problem: "at most \(Self.maxBreakdowns) breakdowns at once")
                }
            case "series":
                guard let b = SeriesBucket(rawValue: value) else {
                    throw StatsQueryError(parameter: name, problem: "'\(value)' is not a bucket (1m, 5m, 15m, 1h)")
                }
                series = b
            case "short":
                guard let n = Int(value), (1...86_400).contains(n) else {
                    throw StatsQueryError(parameter: name, problem: "'\(value)' is not a number of seconds from 1 to 86400")
                }
                short = n
            case "top":
                guard let n = Int(value), (1...1000).contains(n) else {
                    throw StatsQueryError(parameter: name, problem: "'\(value)' is not a number from 1 to 1000")
                }
                top = n
            default:
                throw StatsQueryError(parameter: name, problem: "unknown parameter (\(Self.parameters.joined(separator: ", ")))")
            }
        }
    }

    /// Seconds in "90s", "15m", "1h", "24h", "7d"; nil for anything else or zero.
    public static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n > 0, n <= 3650 * 86_400 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        let (v, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow || v > 3650 * 86_400 ? nil : v
    }
}
