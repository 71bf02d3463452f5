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

    /// Reads the i-th report in place, without decoding it.
    public func withReport<R>(at i: Int, _ body: (PackedReport) -> R) -> R {
        let (c, k) = locate(i)
        let chunk = state.chunks[c]
        return chunk.bytes.withUnsafeBufferPointer { body(PackedReport(bytes: $0, start: Int(chunk.offsets[k]))) }
    }
}
