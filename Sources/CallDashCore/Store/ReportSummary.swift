/// Where the full record of a stored report can be read back.
public enum RecordLocation: Sendable, Equatable {
    /// Byte range of its line in the journal file.
    case journal(offset: UInt64, length: UInt32)
    /// The record's JSON line itself, kept in memory when there is no journal.
    case inline([UInt8])
}

/// What the store keeps in memory for one delivery: enough to list, count and filter it.
/// Headers, extras and the raw body stay in the journal (or in `location` when there is none).
public struct ReportSummary: Sendable, Equatable {
    public var seq: UInt64
    public var receivedAt: Timestamp
    public var responseCode: Int
    public var outcome: Outcome
    public var method: String
    public var error: String?
    public var webhook: Int?
    /// The seq of the earlier delivery this one repeats (a provider retry), if any.
    public var duplicateOf: UInt64?
    public var fields: ReportFields
    public var location: RecordLocation

    public init(
        seq: UInt64, receivedAt: Timestamp, responseCode: Int, outcome: Outcome, method: String,
        error: String?, webhook: Int?, duplicateOf: UInt64? = nil, fields: ReportFields, location: RecordLocation
    ) {
        self.seq = seq
        self.receivedAt = receivedAt
        self.responseCode = responseCode
        self.outcome = outcome
        self.method = method
        self.error = error
        self.webhook = webhook
        self.duplicateOf = duplicateOf
        self.fields = fields
        self.location = location
    }

    public init(_ record: DeliveryRecord, location: RecordLocation) {
        self.init(
            seq: record.seq, receivedAt: record.receivedAt, responseCode: record.responseCode,
            outcome: record.outcome, method: record.method, error: record.error, webhook: record.webhook,
            duplicateOf: record.duplicateOf, fields: record.fields, location: location)
    }

    public var statusCode: UInt8 { CallStatus.code(of: fields[.status]) }
}
