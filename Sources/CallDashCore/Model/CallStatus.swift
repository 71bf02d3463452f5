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
    /// Statuses compare ignoring case and surrounding spaces, as the API's `status=` does:
    /// `answer` counts as ANSWER (it is still shown as sent).
    public static func code(of status: String?) -> UInt8 {
        guard let status else { return none }
        if let code = exactCode(status) { return code } // as sent, in the provider's spelling: no allocation
        // However much space surrounds it; a longer word is no known status (and is not upper-cased).
        let word = status.trimmingSpaces
        guard word.utf8.count <= 16 else { return other }
        return exactCode(word.uppercased()) ?? other
    }

    /// A status as statuses are compared: upper case, without surrounding spaces.
    public static func normalized(_ status: String) -> String { status.trimmingSpaces.uppercased() }

    /// The code of a status spelled as the provider spells it (the position, as `StatusSlot` has it).
    private static func exactCode(_ status: String) -> UInt8? {
        CallStatus(rawValue: status).map { UInt8(StatusSlot($0).rawValue) }
    }

    /// Code for a status outside the known set.
    public static let other: UInt8 = 254
    /// Code for a report without a status.
    public static let none: UInt8 = 255
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...end]
    }
}
