#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Journal {
    /// How far past a point a line start is looked for: a line holds at most a 1 MiB body,
    /// which JSON escaping can make six times longer.
    static let longestLine = 8 << 20

    /// The line of the delivery `seq`, found in the file by bisecting its bytes (delivery lines
    /// are in ascending seq): for a record that has left memory. Nil when no written line
    /// starts with that seq. About 2 × log2(size / line) small reads.
    func line(ofSeq seq: UInt64) -> [UInt8]? {
        let size = writtenBytes
        var lo: UInt64 = 0
        var hi = size
        var block: [UInt8] = []
        // The line, if any, starts in [first line start at or after lo, hi).
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            guard let (start, found) = firstSeq(atOrAfter: mid, startingBefore: hi, size: size, &block) else {
                hi = mid
                continue
            }
            if found == seq { return wholeLine(at: start, size: size, &block) }
            if found < seq { lo = start + 1 } else { hi = start }
        }
        return nil
    }

    /// The first delivery line starting at or after `p` and before `end` in a file of `size`
    /// bytes: where it starts and its seq. A line that does not start with a seq (a damaged
    /// one) is passed over.
    private func firstSeq(atOrAfter p: UInt64, startingBefore end: UInt64, size: UInt64, _ block: inout [UInt8]) -> (UInt64, UInt64)? {
        var start = p
        while start < end {
            if start > 0 {
                guard let newline = find(0x0A, from: start - 1, before: end, &block) else { return nil }
                start = newline + 1
                guard start < end else { return nil }
            }
            let head = min(32, Int(size - start))
            guard read(&block, from: start, count: head) else { return nil }
            if let seq = DeliveryRecord.seq(startingLine: block) { return (start, seq) }
            start += 1 // not a delivery line: the next one
        }
        return nil
    }

    /// The offset of the first `byte` at or after `p` (looking at most `longestLine` ahead).
    private func find(_ byte: UInt8, from p: UInt64, before end: UInt64, _ block: inout [UInt8]) -> UInt64? {
        var at = p
        let limit = min(end, p + UInt64(Self.longestLine))
        while at < limit {
            let n = Int(min(16 << 10, limit - at))
            guard read(&block, from: at, count: n) else { return nil }
            let i = block.withUnsafeBytes { p in
                memchr(p.baseAddress!, Int32(byte), n).map { $0 - UnsafeMutableRawPointer(mutating: p.baseAddress!) }
            }
            if let i { return at + UInt64(i) }
            at += UInt64(n)
        }
        return nil
    }

    private func wholeLine(at start: UInt64, size: UInt64, _ block: inout [UInt8]) -> [UInt8]? {
        guard let newline = find(0x0A, from: start, before: size, &block) else { return nil }
        var line: [UInt8] = []
        return read(&line, from: start, count: Int(newline - start)) ? line : nil
    }
}
