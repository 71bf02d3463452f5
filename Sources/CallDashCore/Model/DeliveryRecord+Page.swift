extension DeliveryRecord {
    /// The records of one `/_calldash/reports` answer (a JSON array, a receiver's bytes), how
    /// many of its elements were not records, and the last seq read.
    public static func records(inPage page: [UInt8]) -> (records: [DeliveryRecord], unreadable: Int, lastSeq: UInt64?) {
        var records: [DeliveryRecord] = []
        var bad = 0
        var last: UInt64?
        page.withUnsafeBufferPointer { p in
            var s = JSONScanner(p)
            do throws(JSONError) {
                try s.readArray { (s) throws(JSONError) in
                    let range = try s.skipValue()
                    if let r = try? DeliveryRecord(json: UnsafeBufferPointer(rebasing: p[range])) {
                        records.append(r)
                        last = r.seq
                    } else {
                        bad += 1
                        // Paging goes on after it: a page of unreadable records must not end the list.
                        if let seq = Journal.seq(startingLine: Array(p[range].prefix(32))) { last = seq }
                    }
                }
            } catch {
                bad += 1 // not an array, or cut short: what was read before stands
            }
        }
        return (records, bad, last)
    }
}
