/// How calls are grouped by status everywhere (counts, filters, colours, sorting): one of the
/// known statuses, any other status, or none. The order is the order they are shown in.
public enum StatusSlot: Int, CaseIterable, Sendable, Hashable {
    case answer, noAnswer, busy, cancel, failed, congestion, chanUnavailable, other, none

    /// The slot of a status code as stored (`CallStatus.code`).
    public init(code: UInt8) {
        switch code {
        case CallStatus.other: self = .other
        case CallStatus.none: self = .none
        default: self = StatusSlot(rawValue: Int(code)).flatMap { $0.status == nil ? nil : $0 } ?? .other
        }
    }

    public init(_ status: CallStatus) {
        switch status {
        case .answer: self = .answer
        case .noAnswer: self = .noAnswer
        case .busy: self = .busy
        case .cancel: self = .cancel
        case .failed: self = .failed
        case .congestion: self = .congestion
        case .chanUnavailable: self = .chanUnavailable
        }
    }

    /// The known status this slot holds; nil for `other` and `none`.
    public var status: CallStatus? {
        switch self {
        case .answer: .answer
        case .noAnswer: .noAnswer
        case .busy: .busy
        case .cancel: .cancel
        case .failed: .failed
        case .congestion: .congestion
        case .chanUnavailable: .chanUnavailable
        case .other, .none: nil
        }
    }

    /// "ANSWER", …, "other", "no status".
    public var name: String {
        switch self {
        case .other: "other"
        case .none: "no status"
        default: status?.rawValue ?? ""
        }
    }

    /// The digit that toggles it in the Calls filter ("1" for ANSWER … "9" for no status).
    public var filterKey: Character { Character(String(rawValue + 1)) }

}
