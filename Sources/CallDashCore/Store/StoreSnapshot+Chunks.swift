/// One stored chunk's part of a snapshot.
struct ChunkSpan {
    /// The snapshot's indices the chunk holds.
    var range: Range<Int>
    /// The first and last seq of a chunk that is full and wholly held: such a chunk never
    /// changes again, so what is worked out from it can be kept. Nil for the newest chunk
    /// while it fills and for the oldest once eviction has begun on it.
    var sealed: ClosedRange<UInt64>?
}

extension StoreSnapshot {
    /// The snapshot's reports chunk by chunk, oldest first.
    var chunkSpans: [ChunkSpan] {
        var spans: [ChunkSpan] = []
        spans.reserveCapacity(state.chunks.count)
        var next = 0
        for (k, chunk) in state.chunks.enumerated() {
            let held = chunk.offsets.count - (k == 0 ? state.dropFront : 0)
            guard held > 0 else { continue }
            let range = next..<(next + held)
            let whole = chunk.isFull && held == chunk.offsets.count
            spans.append(ChunkSpan(range: range, sealed: whole ? chunk.seq(at: 0)...chunk.seq(at: held - 1) : nil))
            next += held
        }
        return spans
    }
}
