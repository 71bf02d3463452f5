import CallDashCore

/// Full delivery records of a running receiver, through `/_calldash/reports` (paged) and
/// `/_calldash/reports/SEQ`.
public enum RemoteRecords {
    /// Up to `limit` records with seq > `after` that match the statuses, text and `keep`,
    /// ascending, handed to `body` a page at a time; returns how many of the answers' records
    /// could not be read.
    public static func forEachPage(
        _ base: String, token: String?, statuses: [String], text: String?, after: UInt64, limit: Int,
        keep: (DeliveryRecord) -> Bool = { _ in true }, _ body: ([DeliveryRecord]) async throws -> Void
    ) async throws -> Int {
        var taken = 0
        var unreadable = 0
        var cursor = after
        while taken < limit {
            var query = statuses.map { (name: "status", value: $0) }
            if let text { query.append(("q", text)) }
            // Whole pages: `keep` chooses among them here, so a small limit may need many records.
            query += [("after", String(cursor)), ("limit", "1000")]
            let page = try await ReceiverQuery.get(base, path: "/_calldash/reports", query: query, token: token)
            let (all, bad, last) = DeliveryRecord.records(inPage: page)
            // What is not a list of records is not a receiver's answer: said, not taken for "none".
            let opening = page.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            if taken == 0, unreadable == 0, all.isEmpty, bad > 0, opening != UInt8(ascii: "[") {
                throw ReceiverQueryFailure("\(base) answered something else than a list of records: is it a calldash receiver?")
            }
            unreadable += bad
            // Only what comes after: a server that answers the same page again adds nothing.
            let found = all.filter { $0.seq > cursor && keep($0) }.prefix(limit - taken)
            taken += found.count
            if !found.isEmpty { try await body(Array(found)) }
            // A page ends the list when it is empty; a short one may be cut by the page's byte limit.
            guard let last, last > cursor else { break }
            cursor = last
        }
        return unreadable
    }

    /// The records of `seqs`, in that order, and the seqs the receiver has no record of.
    public static func bySeq(_ base: String, token: String?, seqs: [UInt64]) async throws(ReceiverQueryFailure) -> (
        records: [DeliveryRecord], missing: [(seq: UInt64, reason: String)]
    ) {
        var records: [DeliveryRecord] = []
        var missing: [(UInt64, String)] = []
        for seq in seqs {
            do throws(ReceiverQueryFailure) {
                let line = try await ReceiverQuery.get(base, path: "/_calldash/reports/\(seq)", query: [], token: token)
                guard let r = try? DeliveryRecord(json: line.last == 0x0A ? Array(line.dropLast()) : line) else {
                    missing.append((seq, "the receiver's record is not readable"))
                    continue
                }
                records.append(r)
            } catch  where error.status == 404 || error.status == 500 {
                // None, or one the receiver cannot read back: said for that seq, the others go on.
                missing.append((seq, error.reason ?? "the receiver has no readable delivery with that seq"))
            }
        }
        return (records, missing)
    }
}
