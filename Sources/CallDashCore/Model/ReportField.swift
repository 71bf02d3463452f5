/// The provider's standard report fields, in the order its documentation lists them.
public enum ReportField: String, CaseIterable, Sendable, Hashable {
    case webhookID = "webhook_id"
    case bridge
    case from
    case to
    case source
    case mid
    case flowID = "flow_id"
    case startAt = "start_at"
    case endAt = "end_at"
    case duration
    case status
    case recordingURL = "recording_url"

    /// Position in `allCases`, used to index compact storage.
    public var index: Int {
        switch self {
        case .webhookID: 0
        case .bridge: 1
        case .from: 2
        case .to: 3
        case .source: 4
        case .mid: 5
        case .flowID: 6
        case .startAt: 7
        case .endAt: 8
        case .duration: 9
        case .status: 10
        case .recordingURL: 11
        }
    }

    /// Looks a key up by its length first (the generated `init(rawValue:)` compares against
    /// every case in turn, which shows in the ingest profile); nil for non-standard keys.
    public init?(key: String) {
        guard let f = key.withContiguousUTF8({ Self(utf8: $0) }) else { return nil }
        self = f
    }

    /// The same lookup on a key's UTF-8 bytes.
    public init?(utf8 key: UnsafeBufferPointer<UInt8>) {
        func matches(_ name: StaticString) -> Bool {
            guard name.utf8CodeUnitCount == key.count else { return false }
            let (a, b) = (key.baseAddress!, name.utf8Start)
            for i in 0..<key.count where a[i] != b[i] { return false }
            return true
        }
        let f: ReportField?
        switch key.count {
        case 2: f = matches("to") ? .to : nil
        case 3: f = matches("mid") ? .mid : nil
        case 4: f = matches("from") ? .from : nil
        case 6:
            f = matches("status") ? .status : matches("bridge") ? .bridge : matches("source") ? .source : matches("end_at") ? .endAt : nil
        case 7: f = matches("flow_id") ? .flowID : nil
        case 8: f = matches("start_at") ? .startAt : matches("duration") ? .duration : nil
        case 10: f = matches("webhook_id") ? .webhookID : nil
        case 13: f = matches("recording_url") ? .recordingURL : nil
        default: f = nil
        }
        guard let f else { return nil }
        self = f
    }
}

/// The standard fields of one report, each kept exactly as sent (numbers as their lexeme).
public struct ReportFields: Sendable, Equatable {
    private var values: [String?]

    public init() {
        values = Self.allUnset
    }

    /// Shared by every empty set of fields until one is set (each delivery's record starts empty).
    private static let allUnset = [String?](repeating: nil, count: ReportField.allCases.count)

    public init(_ pairs: [ReportField: String]) {
        self.init()
        for (field, value) in pairs { self[field] = value }
    }

    public subscript(field: ReportField) -> String? {
        get { values[field.index] }
        set { values[field.index] = newValue }
    }

    /// The fields that are present, in standard order.
    public var present: [(field: ReportField, value: String)] {
        ReportField.allCases.compactMap { f in values[f.index].map { (f, $0) } }
    }
}
