/// The call statuses such dialers report. Any other value is kept and shown as it came.
public enum CallStatus: String, CaseIterable, Sendable {
    case answer = "ANSWER"
    case noAnswer = "NOANSWER"
    case busy = "BUSY"
    case cancel = "CANCEL"
    case failed = "FAILED"
    case congestion = "CONGESTION"
    case chanUnavailable = "CHANUNAVAIL"

    /// A one-byte code for compact storage and fast filtering: the case's position, or `other`.
    public static func code(of status: String?) -> UInt8 {
        guard let status else { return none }
        switch status {
        case "ANSWER": return 0
        case "NOANSWER": return 1
        case "BUSY": return 2
        case "CANCEL": return 3
        case "FAILED": return 4
        case "CONGESTION": return 5
        case "CHANUNAVAIL": return 6
        default: return other
        }
    }

    /// Code for a status outside the known set.
    public static let other: UInt8 = 254
    /// Code for a report without a status.
    public static let none: UInt8 = 255
}
