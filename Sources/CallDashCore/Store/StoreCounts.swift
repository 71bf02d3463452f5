/// Running totals: everything ever recorded, and what is held now, per call status.
public struct StoreCounts: Sendable, Equatable {
    /// Deliveries recorded since the journal began (evicted ones included).
    public var received: UInt64 = 0
    public var accepted: UInt64 = 0
    public var rejected: UInt64 = 0
    /// Reports held in memory per `CallStatus.code` (index 0...6 known statuses, 7 other, 8 none).
    public var storedByStatus: [Int] = Array(repeating: 0, count: 9)
    /// Rejected deliveries held in memory.
    public var storedRejected: Int = 0

    public init() {}

    /// Reports held now with `status` (nil means: without a status).
    public func stored(status: CallStatus?) -> Int {
        storedByStatus[Self.slot(status.map { CallStatus.code(of: $0.rawValue) } ?? CallStatus.none)]
    }

    public var storedOtherStatus: Int { storedByStatus[7] }

    /// The `storedByStatus` index for a `CallStatus.code`.
    public static func slot(_ code: UInt8) -> Int {
        switch code {
        case CallStatus.other: 7
        case CallStatus.none: 8
        default: Int(code)
        }
    }
}
