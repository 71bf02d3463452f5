/// A column of calls, wherever calls are listed: the dashboard's list, `--plain`, the call
/// picker and the CSV export all take their columns from here, so they cannot drift.
public enum CallColumn: Hashable, Sendable {
    case seq, receivedAt, outcome, responseCode, method, error
    case field(ReportField)

    /// Every column of a CSV export, in order.
    public static let csv: [CallColumn] =
        [.seq, .receivedAt, .outcome, .responseCode, .method, .error] + ReportField.allCases.map(CallColumn.field)

    /// The columns of the dashboard's list, in the order shown.
    public static let list: [CallColumn] = [
        .receivedAt, .field(.status), .field(.from), .field(.to), .field(.bridge), .field(.duration), .field(.source), .field(.flowID),
        .field(.mid)
    ]

    /// The CSV header's name: the record's key.
    public var key: String {
        switch self {
        case .seq: "seq"
        case .receivedAt: "received_at"
        case .outcome: "outcome"
        case .responseCode: "response_code"
        case .method: "method"
        case .error: "error"
        case .field(let f): f.rawValue
        }
    }

    /// The title a listing shows.
    public var title: String {
        switch self {
        case .seq: "SEQ"
        case .receivedAt: "TIME"
        case .outcome: "OUTCOME"
        case .responseCode: "CODE"
        case .method: "METHOD"
        case .error: "ERROR"
        case .field(.duration): "DUR"
        case .field(.flowID): "FLOW"
        case .field(.recordingURL): "RECORDING"
        case .field(let f): f.rawValue.uppercased()
        }
    }

    /// The value exactly as sent (or recorded): what an export writes.
    public func raw(_ s: ReportSummary) -> String {
        switch self {
        case .seq: "\(s.seq)"
        case .receivedAt: s.receivedAt.iso8601
        case .outcome: s.outcome.rawValue
        case .responseCode: "\(s.responseCode)"
        case .method: s.method
        case .error: s.error ?? ""
        case .field(let f): s.fields[f] ?? ""
        }
    }

    /// The value as a listing shows it: the time of day, the duration as m:ss, "#12", and a
    /// rejected delivery's status as REJECTED.
    public func shown(_ s: ReportSummary, utcOffset: Int) -> String {
        switch self {
        case .seq: "#\(s.seq)"
        case .receivedAt: s.receivedAt.clock(offset: utcOffset)
        case .field(.status): s.outcome == .rejected ? "REJECTED" : s.fields[.status] ?? "—"
        case .field(.duration): Self.duration(s.fields[.duration])
        default: raw(s)
        }
    }

    /// A mean number of seconds (an ACD) as `duration` shows seconds; a value too large for a
    /// whole number (a remote's answer) shows as it is.
    public static func duration(seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return seconds.description }
        return duration(String(Int(seconds.rounded())))
    }

    /// Seconds as m:ss (h:mm:ss from an hour); the value as sent when it is not a whole number.
    public static func duration(_ raw: String?) -> String {
        guard let raw else { return "" }
        guard let s = Int(raw), s >= 0, raw.utf8.count < 12 else { return raw }
        let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60)
        let ss = sec < 10 ? "0\(sec)" : "\(sec)"
        if h > 0 { return "\(h):\(m < 10 ? "0" : "")\(m):\(ss)" }
        return "\(m):\(ss)"
    }
}
