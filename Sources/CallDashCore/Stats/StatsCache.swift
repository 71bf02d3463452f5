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

    /// A chunk's tally, or that the chunk is counted afresh each time (it spans too many bars).
    enum Entry: Sendable {
        case piece(Piece)
        case countedAfresh
    }

    /// What one chunk's pass gave: a tally worth keeping, or why not.
    enum Outcome {
        case kept(Piece)
        /// Its reports span more than `maxPieceBuckets` bars (a clock set back, sparse calls).
        case tooWide
        /// A breakdown has a value per call (`mid`), or the statuses are too many to number
        /// apart in one chunk: the figures are not worth keeping for this question at all.
        case tooVaried
    }

    /// The chunks kept for one question.
    private struct Kept {
        var shape: Shape
        var entries: [ClosedRange<UInt64>: Entry] = [:]
        /// False once a chunk showed that this question's figures are not worth keeping.
        var worthKeeping = true
    }

    /// The questions asked lately, the last asked last: a few clients asking different ones do
    /// not undo each other's work.
    private let kept = Mutex<[Kept]>([])
    static let shapesKept = 4

    /// Bounds on what one chunk's tally may hold to be kept: bars, and values per breakdown.
    static let maxPieceBuckets = 64
    static let maxPieceGroups = 64

    public init() {}

    /// Chunks whose figures are kept, for every question.
    public var chunksKept: Int {
        kept.withLock { all in all.reduce(0) { n, k in n + k.entries.values.count { if case .piece = $0 { true } else { false } } } }
    }

    /// The tally of `snapshot` for `query` over `[from, to]` in buckets of `bucketMillis` from
    /// bucket `firstBucket` (`buckets` of them): the same as counting every report, from kept
    /// chunk tallies where a chunk lies wholly inside the window. Nil when these figures are
    /// not worth keeping: the caller counts every report.
    func tally(
        _ snapshot: StoreSnapshot, _ query: StatsQuery, from: Int64, to: Int64, firstBucket: Int64, buckets: Int, bucketMillis: Int64
    ) -> StatsTally? {
        let shape = Shape(by: query.by, short: query.short, bucketMillis: bucketMillis)
        let known = kept.withLock { all -> Kept in
            let k = all.firstIndex { $0.shape == shape }.map { all.remove(at: $0) } ?? Kept(shape: shape)
            all.append(k)
            if all.count > Self.shapesKept { all.removeFirst() }
            return k
        }
        guard known.worthKeeping else { return nil }
        var entries = known.entries
        let spans = snapshot.chunkSpans
        let missing = spans.compactMap { span in span.sealed.flatMap { entries[$0] == nil ? (range: span.range, seqs: $0) : nil } }
        // A first chunk tells at once a question not worth keeping (a value per call), before
        // the others are worked out for nothing.
        var worked: [(ClosedRange<UInt64>, Outcome)] = []
        var rest = missing[...]
        if entries.isEmpty, let first = rest.popFirst() {
            worked.append((first.seqs, Self.piece(snapshot, first.range, query: query, bucketMillis: bucketMillis)))
        }
        if !worked.contains(where: { if case .tooVaried = $0.1 { true } else { false } }) {
            worked += Self.pieces(snapshot, Array(rest), query: query, bucketMillis: bucketMillis)
        }
        if worked.contains(where: { if case .tooVaried = $0.1 { true } else { false } }) {
            update(shape) { $0.worthKeeping = false }
            return nil
        }
        for (seqs, outcome) in worked {
            switch outcome {
            case .kept(let piece): entries[seqs] = .piece(piece)
            case .tooWide: entries[seqs] = .countedAfresh
            case .tooVaried: break
            }
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
        update(shape) { $0.entries = used }
        return total
    }

    private func update(_ shape: Shape, _ change: (inout Kept) -> Void) {
        kept.withLock { all in
            if let i = all.firstIndex(where: { $0.shape == shape }) { change(&all[i]) }
        }
    }

    /// The tallies of the chunks at `ranges`, worked out on the cores.
    private static func pieces(
        _ snapshot: StoreSnapshot, _ chunks: [(range: Range<Int>, seqs: ClosedRange<UInt64>)], query: StatsQuery, bucketMillis: Int64
    ) -> [(ClosedRange<UInt64>, Outcome)] {
        guard !chunks.isEmpty else { return [] }
        let parts = chunks.count >= 64 ? 2 : 1
        let results = Mutex<[(ClosedRange<UInt64>, Outcome)]>([])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var mine: [(ClosedRange<UInt64>, Outcome)] = []
            for c in chunks[(chunks.count * part / parts)..<(chunks.count * (part + 1) / parts)] {
                mine.append((c.seqs, piece(snapshot, c.range, query: query, bucketMillis: bucketMillis)))
            }
            results.withLock { $0 += mine }
        }
        return results.withLock { $0 }
    }

    /// One chunk's tally over all its reports, its buckets starting at its own oldest, unless it
    /// is not worth keeping.
    private static func piece(_ snapshot: StoreSnapshot, _ range: Range<Int>, query: StatsQuery, bucketMillis: Int64) -> Outcome {
        var (oldest, newest) = (Int64.max, Int64.min)
        snapshot.scan(from: range.lowerBound, to: range.upperBound, StoreFilter()) { r in
            oldest = min(oldest, r.receivedAtMillis)
            newest = max(newest, r.receivedAtMillis)
        }
        guard oldest <= newest else { return .tooWide }
        var first: Int64 = 0
        var buckets = 0
        if bucketMillis > 0 {
            first = oldest.floorDivided(by: bucketMillis).0
            let span = newest.floorDivided(by: bucketMillis).0 - first + 1
            guard span <= Int64(maxPieceBuckets) else { return .tooWide }
            buckets = Int(span)
        }
        var tally = StatsTally(dimensions: query.by.count, buckets: buckets, firstBucket: first)
        tally.add(snapshot, range, query: query, from: .min, to: .max, bucketMillis: bucketMillis)
        // A chunk that ran out of numbers for odd statuses would lump some that a fresh count names.
        guard tally.groups.allSatisfy({ $0.count <= maxPieceGroups }), tally.names.others.count < StatusNames.maxOthers else {
            return .tooVaried
        }
        return .kept(Piece(tally: tally, oldest: oldest, newest: newest))
    }
}
