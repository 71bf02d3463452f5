import Dispatch
import Synchronization

/// What each full store chunk adds to the figures, kept between computations of the same
/// breakdowns and bucket: a full chunk never changes, so a recomputation reads only the reports
/// that arrived since and merges the rest (a million reports: a thousand merges, not a million
/// reads). The Campaign screen keeps one. It costs about 20 bytes per report held.
public final class StatsCache: Sendable {
    /// What a chunk's tally depends on besides its reports.
    struct Shape: Equatable {
        var by: [StatsDimension]
        var short: Int
        var bucketMillis: Int64
    }

    /// One chunk's tally over all its reports, and the span of their `received_at`.
    struct Piece: Sendable {
        var tally: StatsTally
        var oldest: Int64
        var newest: Int64
    }

    /// A chunk's tally, or that the chunk is counted afresh each time (it spans too many bars,
    /// or a breakdown has too many values in it to be worth keeping).
    enum Entry: Sendable {
        case piece(Piece)
        case countedAfresh
    }

    private struct Kept {
        var shape: Shape?
        var entries: [ClosedRange<UInt64>: Entry] = [:]
        /// False once the first chunk showed that the breakdown has a value per call (`mid`)
        /// or that calls are sparse: the figures are then counted afresh, on both cores.
        var worthKeeping = true
    }

    private let kept = Mutex(Kept())

    /// Bounds on what one chunk's tally may hold to be kept: bars, and values per breakdown.
    static let maxPieceBuckets = 64
    static let maxPieceGroups = 64

    public init() {}

    /// Chunks whose figures are kept.
    public var chunksKept: Int {
        kept.withLock { k in k.entries.values.count { if case .piece = $0 { true } else { false } } }
    }

    /// The tally of `snapshot` for `query` over `[from, to]` in buckets of `bucketMillis` from
    /// bucket `firstBucket` (`buckets` of them): the same as counting every report, from kept
    /// chunk tallies where a chunk lies wholly inside the window. Nil when these figures are
    /// not worth keeping: the caller counts every report.
    func tally(
        _ snapshot: StoreSnapshot, _ query: StatsQuery, from: Int64, to: Int64, firstBucket: Int64, buckets: Int, bucketMillis: Int64
    ) -> StatsTally? {
        let shape = Shape(by: query.by, short: query.short, bucketMillis: bucketMillis)
        var (entries, worthKeeping) = kept.withLock { k in
            if k.shape != shape { k = Kept(shape: shape) }
            return (k.entries, k.worthKeeping)
        }
        guard worthKeeping else { return nil }
        let spans = snapshot.chunkSpans
        let missing = spans.compactMap { span in span.sealed.flatMap { entries[$0] == nil ? (range: span.range, seqs: $0) : nil } }
        if entries.isEmpty, let first = missing.first, Self.piece(snapshot, first.range, query: query, bucketMillis: bucketMillis) == nil {
            kept.withLock { k in if k.shape == shape { k.worthKeeping = false } }
            return nil
        }
        for (seqs, piece) in Self.pieces(snapshot, missing, query: query, bucketMillis: bucketMillis) {
            entries[seqs] = piece.map(Entry.piece) ?? .countedAfresh
        }

        var total = StatsTally(dimensions: query.by.count, buckets: buckets, firstBucket: firstBucket)
        var used: [ClosedRange<UInt64>: Entry] = [:]
        for span in spans {
            if let seqs = span.sealed, let entry = entries[seqs] {
                used[seqs] = entry
                if case .piece(let piece) = entry {
                    if piece.newest < from || piece.oldest > to { continue } // nothing in it is in the window
                    if piece.oldest >= from, piece.newest <= to {
                        total.merge(piece.tally)
                        continue
                    }
                }
            }
            // The chunk still filling, the one being evicted, one across the window's edge.
            total.add(snapshot, span.range, query: query, from: from, to: to, bucketMillis: bucketMillis)
        }
        // Evicted chunks are forgotten.
        kept.withLock { k in if k.shape == shape { k.entries = used } }
        return total
    }

    /// The tallies of the chunks at `ranges`, worked out on the cores.
    private static func pieces(
        _ snapshot: StoreSnapshot, _ chunks: [(range: Range<Int>, seqs: ClosedRange<UInt64>)], query: StatsQuery, bucketMillis: Int64
    ) -> [(ClosedRange<UInt64>, Piece?)] {
        guard !chunks.isEmpty else { return [] }
        let parts = chunks.count >= 64 ? 2 : 1
        let results = Mutex<[(ClosedRange<UInt64>, Piece?)]>([])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var mine: [(ClosedRange<UInt64>, Piece?)] = []
            for c in chunks[(chunks.count * part / parts)..<(chunks.count * (part + 1) / parts)] {
                mine.append((c.seqs, piece(snapshot, c.range, query: query, bucketMillis: bucketMillis)))
            }
            results.withLock { $0 += mine }
        }
        return results.withLock { $0 }
    }

    /// One chunk's tally over all its reports, its buckets starting at its own oldest; nil when
    /// it is not worth keeping.
    private static func piece(_ snapshot: StoreSnapshot, _ range: Range<Int>, query: StatsQuery, bucketMillis: Int64) -> Piece? {
        var (oldest, newest) = (Int64.max, Int64.min)
        snapshot.scan(from: range.lowerBound, to: range.upperBound, StoreFilter()) { r in
            oldest = min(oldest, r.receivedAtMillis)
            newest = max(newest, r.receivedAtMillis)
        }
        guard oldest <= newest else { return nil }
        var first: Int64 = 0
        var buckets = 0
        if bucketMillis > 0 {
            first = oldest.floorDivided(by: bucketMillis).0
            let span = newest.floorDivided(by: bucketMillis).0 - first + 1
            guard span <= Int64(maxPieceBuckets) else { return nil }
            buckets = Int(span)
        }
        var tally = StatsTally(dimensions: query.by.count, buckets: buckets, firstBucket: first)
        tally.add(snapshot, range, query: query, from: .min, to: .max, bucketMillis: bucketMillis)
        guard tally.groups.allSatisfy({ $0.count <= maxPieceGroups }) else { return nil }
        return Piece(tally: tally, oldest: oldest, newest: newest)
    }
}
