/// Reads parts of stored summaries straight from their packed bytes: filtering, sorting and
/// searching a million reports cannot afford to decode each one into Strings.
extension StoreSnapshot {
    /// Calls `body` with the bytes of one standard field of the i-th report (nil when absent).
    public func withField<R>(_ field: ReportField, at i: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let (c, k) = locate(i)
        let chunk = state.chunks[c]
        return chunk.bytes.withUnsafeBufferPointer { p in
            var found: UnsafeBufferPointer<UInt8>?
            SummaryCodec.forEachText(p, at: Int(chunk.offsets[k])) { part, bytes in
                if part == .field(field) { found = bytes; return false }
                return true
            }
            return body(found)
        }
    }

    /// The duration field of the i-th report as whole seconds; nil when absent or not a number.
    public func durationSeconds(at i: Int) -> Int? {
        withField(.duration, at: i) { bytes in
            guard let bytes, !bytes.isEmpty, bytes.count <= 18 else { return nil }
            var v = 0
            for b in bytes {
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
    }

    /// True when the i-th report's method, error or any standard field contains `needle`,
    /// ASCII letters compared without case. `needle` must already be lower-cased.
    public func contains(_ needle: [UInt8], at i: Int) -> Bool {
        guard !needle.isEmpty else { return true }
        let (c, k) = locate(i)
        let chunk = state.chunks[c]
        return chunk.bytes.withUnsafeBufferPointer { p in
            var hit = false
            SummaryCodec.forEachText(p, at: Int(chunk.offsets[k])) { _, bytes in
                hit = Self.containsFolded(bytes, needle)
                return !hit
            }
            return hit
        }
    }

    static func containsFolded(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard hay.count >= n else { return false }
        let first = needle[0]
        var i = 0
        let last = hay.count - n
        while i <= last {
            if fold(hay[i]) == first {
                var j = 1
                while j < n, fold(hay[i + j]) == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    @inline(__always) static func fold(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}

extension StoreSnapshot {
    /// Index of the report with this seq, or nil when it is not held. Seqs are usually
    /// consecutive, so the direct guess almost always hits before the binary search is needed.
    public func index(ofSeq seq: UInt64) -> Int? {
        guard let first = firstSeq, seq >= first else { return nil }
        let guess = Int(clamping: seq - first)
        if guess < count, self.seq(at: guess) == seq { return guess }
        let i = index(afterSeq: seq - 1)
        return i < count && self.seq(at: i) == seq ? i : nil
    }
}
