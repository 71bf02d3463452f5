/// Why a delivery was refused, and the 4xx the receiver answers with.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { reason }
}
