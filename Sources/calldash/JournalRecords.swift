import CallDashCore
import Foundation

/// A journal's deliveries read without a receiver: replayed, read-only, into a store of
/// `capacity` (the newest, as a receiver holds them), each full record read back from its line.
struct JournalRecords {
    let path: String
    let capacity: Int
    private let snapshot: StoreSnapshot
    private let file: FileHandle
    /// What became of each delivery's forward (its `forward_of` lines), as a receiver serves it.
    private let forwards: ForwardOutcomes

    init(path: String, capacity: Int) throws {
        let store = ReportStore(capacity: capacity)
        do throws(JournalError) {
            forwards = try JournalReplay.replay(path: path, into: store, readOnly: true) { Output.warn($0) }.forwards
        } catch {
            throw Failure(error.description)
        }
        guard let file = FileHandle(forReadingAtPath: path) else { throw Failure("cannot read journal \(path)") }
        self.path = path
        self.capacity = capacity
        self.file = file
        snapshot = store.snapshot()
    }

    /// The record of `seq`, or why there is none.
    func record(seq: UInt64) -> Result<DeliveryRecord, Failure> {
        guard let i = snapshot.index(ofSeq: seq) else {
            if let first = snapshot.firstSeq, seq < first {
                return .failure(Failure("not among the journal's newest \(capacity) deliveries (a larger --capacity looks further back)"))
            }
            return .failure(Failure("the journal \(path) has no delivery with seq \(seq)"))
        }
        return read(snapshot[i])
    }

    /// Up to `limit` records with seq > `after` that match `query` and `keep`, oldest first,
    /// handed to `body` a thousand at a time; unreadable ones are named on stderr and left out.
    func forEachBatch(
        _ query: ReportQuery, after: UInt64, limit: Int, keep: (DeliveryRecord) -> Bool, _ body: ([DeliveryRecord]) async throws -> Void
    ) async throws {
        var batch: [DeliveryRecord] = []
        var taken = 0
        var i = snapshot.index(afterSeq: after)
        while i < snapshot.count, taken < limit {
            let summary = snapshot[i]
            i += 1
            guard query.matches(summary) else { continue }
            switch read(summary) {
            case .success(let r):
                guard query.matches(r), keep(r) else { continue }
                batch.append(r)
                taken += 1
            case .failure(let why): Output.warn("seq \(summary.seq) left out: \(why)")
            }
            if batch.count == 1_000 {
                try await body(batch)
                batch = []
            }
        }
        if !batch.isEmpty { try await body(batch) }
    }

    private func read(_ summary: ReportSummary) -> Result<DeliveryRecord, Failure> {
        let line: [UInt8]
        switch summary.location {
        case .inline(let l): line = l
        case .journal(let offset, let length):
            do {
                try file.seek(toOffset: offset)
                line = Array(try file.read(upToCount: Int(length)) ?? Data())
            } catch {
                return .failure(Failure("cannot read its line in \(path): \(error.localizedDescription)"))
            }
        }
        do {
            var r = try DeliveryRecord(json: line)
            guard r.seq == summary.seq else { return .failure(Failure("its line in \(path) holds another record")) }
            if r.outcome == .accepted { r.forward = forwards.last(of: r.seq) }
            return .success(r)
        } catch {
            return .failure(Failure("its line in \(path) is not a readable record: \(error.description)"))
        }
    }
}
