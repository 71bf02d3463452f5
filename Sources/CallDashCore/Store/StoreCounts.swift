/// Running totals: everything ever recorded, and what is held now, per call status.
public struct StoreCounts: Sendable, Equatable {
    /// Deliveries recorded since the journal began (evicted ones included).
    public var received: UInt64 = 0
    public var accepted: UInt64 = 0
    public var rejected: UInt64 = 0
    /// Reports held in memory per status slot (indexed by `StatusSlot.rawValue`; see `stored(_:)`).
    public private(set) var storedByStatus: [Int] = Array(repeating: 0, count: StatusSlot.allCases.count)
    /// Rejected deliveries held in memory.
    public var storedRejected: Int = 0
    /// Duplicates (provider retries) held in memory: listed, but not in `storedByStatus`.
    public var storedDuplicates: Int = 0

    public init() {}

    /// Reports held now in `slot`.
    public func stored(_ slot: StatusSlot) -> Int { storedByStatus[slot.rawValue] }

    /// Reports held now with a status (known or not).
    public var storedWithStatus: Int { StatusSlot.allCases.reduce(0) { $1 == .none ? $0 : $0 + stored($1) } }

    mutating func count(_ slot: StatusSlot, by n: Int) { storedByStatus[slot.rawValue] += n }
}
