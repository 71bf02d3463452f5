/// A block of consecutive packed summaries. Only the newest chunk grows; once a chunk holds
/// `capacity` summaries it is never written again, so growth never copies the history.
struct StoreChunk: Sendable {
    static let capacity = 1024

    /// The packed summaries, back to back.
    var bytes: [UInt8]
    /// Where each summary starts in `bytes`.
    var offsets: [UInt32]

    init(expectedBytesPerSummary: Int) {
        bytes = []
        // Reserved but untouched pages are not resident, so over-reserving costs address space only.
        bytes.reserveCapacity(Self.capacity * expectedBytesPerSummary)
        offsets = []
        offsets.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { offsets.count >= Self.capacity }

    mutating func append(_ summary: ReportSummary) {
        offsets.append(UInt32(bytes.count))
        SummaryCodec.encode(summary, into: &bytes)
    }

    /// Adds a summary that is already packed (from the journal's index).
    mutating func append(packed: UnsafeBufferPointer<UInt8>) {
        offsets.append(UInt32(bytes.count))
        bytes.append(contentsOf: packed)
    }

    func summary(at i: Int) -> ReportSummary {
        bytes.withUnsafeBufferPointer { SummaryCodec.decode($0, at: Int(offsets[i])) }
    }

    func seq(at i: Int) -> UInt64 {
        bytes.withUnsafeBufferPointer { SummaryCodec.seq($0, at: Int(offsets[i])) }
    }

    func statusCode(at i: Int) -> UInt8 {
        bytes[Int(offsets[i]) + SummaryCodec.statusCodeOffset]
    }

    /// Where the i-th summary's record lies in the journal (nil when it is kept inline).
    func journalLine(at i: Int) -> (offset: UInt64, length: UInt64)? {
        let end = i + 1 < offsets.count ? Int(offsets[i + 1]) : bytes.count
        return bytes.withUnsafeBufferPointer { p in
            SummaryCodec.journalLocation(UnsafeBufferPointer(rebasing: p[Int(offsets[i])..<end])).map { ($0.offset, $0.length) }
        }
    }

    func isDuplicate(at i: Int) -> Bool {
        bytes[Int(offsets[i]) + SummaryCodec.statusCodeOffset + 1] & SummaryCodec.duplicateFlag != 0
    }

    func isRejected(at i: Int) -> Bool {
        bytes[Int(offsets[i]) + SummaryCodec.statusCodeOffset + 1] & 1 != 0
    }
}
