import Synchronization

/// A delivery as recorded: its final record and its JSON line.
public struct Recorded: Sendable {
    public var record: DeliveryRecord
    public var line: [UInt8]
    /// Where the journal line ends; replies in fsync mode wait until the disk has this much.
    public var journalEnd: UInt64?
}

/// The one way deliveries enter the system: assigns `seq`, masks secrets, appends the journal
/// line, stores the summary and tells subscribers, all in seq order.
public final class Recorder: Sendable {
    public let store: ReportStore
    public let journal: Journal?
    private let redactor: SecretRedactor
    private let state: Mutex<State>

    public typealias Listener = @Sendable (Recorded) -> Void

    private struct State: Sendable {
        var nextSeq: UInt64
        var listeners: [Int: Listener] = [:]
        var nextListenerID = 0
    }

    public init(store: ReportStore, journal: Journal?, lastSeq: UInt64, redactor: SecretRedactor = SecretRedactor(secrets: [])) {
        self.store = store
        self.journal = journal
        self.redactor = redactor
        state = Mutex(State(nextSeq: lastSeq + 1))
    }

    /// Records a delivery and writes its journal line. If the journal cannot be written the
    /// record is still stored and published, and the error is rethrown so the caller can answer 503.
    @discardableResult
    public func record(_ incoming: DeliveryRecord) throws(JournalError) -> Recorded {
        let recorded = recordBuffered(incoming)
        if let end = recorded.journalEnd { try journal?.commit(upTo: end) }
        return recorded
    }

    /// Records a delivery but leaves its journal line buffered: the caller must
    /// `journal.commit(upTo: journalEnd)` before acknowledging it (the receiver batches this).
    public func recordBuffered(_ incoming: consuming DeliveryRecord) -> Recorded {
        var record = incoming
        redactor.redact(&record)
        return state.withLock { st in
            record.seq = st.nextSeq
            st.nextSeq += 1
            let line = record.json()
            var location = RecordLocation.inline(line)
            var end: UInt64?
            if let journal {
                let offset = journal.append(line)
                location = .journal(offset: offset, length: UInt32(line.count))
                end = offset + UInt64(line.count) + 1
            }
            // Pack once: the same bytes go to the journal's index and to the store.
            var packed: [UInt8] = []
            packed.reserveCapacity(256)
            SummaryCodec.encode(ReportSummary(record, location: location), into: &packed)
            journal?.appendIndex(packed)
            packed.withUnsafeBufferPointer { store.append(packed: $0) }
            let recorded = Recorded(record: record, line: line, journalEnd: end)
            for listener in st.listeners.values { listener(recorded) }
            return recorded
        }
    }

    /// Calls `listener` for every delivery recorded from now on, in seq order, first replaying
    /// stored deliveries with seq > `after` (at most `backlog` of them) so none is missed or repeated.
    public func subscribe(after: UInt64? = nil, backlog: Int = 1_000, _ listener: @escaping Listener) -> Int {
        state.withLock { st in
            if let after {
                for summary in store.snapshot().summaries(after: after, limit: backlog) {
                    if let line = try? line(for: summary), let record = try? DeliveryRecord(json: line) {
                        listener(Recorded(record: record, line: line, journalEnd: nil))
                    }
                }
            }
            let id = st.nextListenerID
            st.nextListenerID += 1
            st.listeners[id] = listener
            return id
        }
    }

    public func unsubscribe(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    public var subscriberCount: Int { state.withLock { $0.listeners.count } }

    /// The full JSON record behind a stored summary.
    public func line(for summary: ReportSummary) throws(JournalError) -> [UInt8] {
        switch summary.location {
        case let .inline(line): return line
        case let .journal(offset, length):
            guard let journal else { throw JournalError("record \(summary.seq) lives in a journal that is not open") }
            return try journal.line(at: offset, length: length)
        }
    }

    /// The JSON records of up to `limit` stored deliveries with seq > `after` that match `query`,
    /// in ascending seq. Reading a record back costs a journal read, so only text queries do it.
    public func lines(matching query: ReportQuery, after: UInt64 = 0, limit: Int) throws(JournalError) -> [[UInt8]] {
        let snapshot = store.snapshot()
        var out: [[UInt8]] = []
        var i = snapshot.index(afterSeq: after)
        while i < snapshot.count, out.count < limit {
            let summary = snapshot[i]
            i += 1
            guard query.matches(summary) else { continue }
            let line = try line(for: summary)
            if query.needsFullRecord {
                guard let record = try? DeliveryRecord(json: line), query.matches(record) else { continue }
            }
            out.append(line)
        }
        return out
    }

    /// The full record behind a stored summary.
    public func record(for summary: ReportSummary) throws(JournalError) -> DeliveryRecord {
        let line = try line(for: summary)
        do {
            return try DeliveryRecord(json: line)
        } catch {
            throw JournalError("record \(summary.seq) in the journal is unreadable: \(error.description)")
        }
    }
}
