extension DeliveryRecord {
    /// The records of one `/_calldash/reports` answer (a JSON array, a receiver's bytes), how
    /// many of its elements were not records, and the last seq read.
    public static func records(inPage page: [UInt8]) -> (records: [DeliveryRecord], unreadable: Int, lastSeq: UInt64?) {
        let (lines, bad, last) = recordLines(inPage: page)
        return (lines.map(\.record), bad, last)
    }

    /// `records(inPage:)` with each record's own bytes in the page (what a follower keeps).
    public static func recordLines(inPage page: [UInt8]) -> (
        records: [(record: DeliveryRecord, line: ArraySlice<UInt8>)], unreadable: Int, lastSeq: UInt64?
    ) {
        var records: [(record: DeliveryRecord, line: ArraySlice<UInt8>)] = []
        var bad = 0
        var last: UInt64?
        page.withUnsafeBufferPointer { p in
            var s = JSONScanner(p)
            do throws(JSONError) {
                try s.readArray { (s) throws(JSONError) in
                    let range = try s.skipValue()
                    if let r = try? DeliveryRecord(json: UnsafeBufferPointer(rebasing: p[range])) {
                        records.append((r, page[range]))
                        last = r.seq
                    } else {
                        bad += 1
                        // Paging goes on after it: a page of unreadable records must not end the list.
                        if let seq = Self.seq(startingLine: Array(p[range].prefix(32))) { last = seq }
                    }
                }
            } catch {
                bad += 1 // not an array, or cut short: what was read before stands
            }
        }
        return (records, bad, last)
    }

    /// The seq of the last record of a `/_calldash/reports` answer, read off its bytes without
    /// decoding them: the last `{"seq":` followed by digits (inside a record that text is either
    /// escaped, in a string, or a key followed by a quoted value, in `extra`).
    public static func lastSeq(inPage page: [UInt8]) -> UInt64? {
        let prefix = Array("{\"seq\":".utf8)
        var i = page.count - prefix.count - 1
        while i >= 0 {
            if page[i] == 0x7B, page[i..<(i + prefix.count)].elementsEqual(prefix),
                let seq = seq(startingLine: Array(page[i..<min(page.count, i + 32)]))
            {
                return seq
            }
            i -= 1
        }
        return nil
    }

    /// The seq of a line that starts `{"seq":N,`; nil for any other start.
    /// Read without decoding the rest: a damaged record still tells where it stands.
    static func seq(startingLine bytes: [UInt8]) -> UInt64? {
        let prefix = Array("{\"seq\":".utf8)
        guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return nil }
        var value: UInt64 = 0
        var digits = 0
        for b in bytes.dropFirst(prefix.count) {
            guard b >= 0x30, b <= 0x39 else { return digits > 0 && b == 0x2C ? value : nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(b - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
            digits += 1
        }
        return nil
    }
}
