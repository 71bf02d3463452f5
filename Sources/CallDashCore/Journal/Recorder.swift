import DequeModule
import Dispatch
import Synchronization

/// A delivery as recorded: its final record and its JSON line.
public struct Recorded: Sendable {
    public var record: DeliveryRecord
    public var line: [UInt8]

    public init(record: DeliveryRecord, line: [UInt8]) {
        self.record = record
        self.line = line
    }
}

/// Whether a recorded delivery made it into the journal.
public enum JournalOutcome: Sendable, Equatable {
    case journaled
    /// The journal could not be written; the delivery is kept in memory as rejected (503).
    case notJournaled(reason: String)
}

/// The one way deliveries enter the system: assigns `seq`, masks secrets, appends the journal
/// line, then, once the line is in the file, stores the summary and tells subscribers, in seq order.
///
/// Under the ingest lock only appends happen (the journal buffer, the store, each subscriber's
/// bounded queue); writing the file, waking subscribers and everything they do run outside it.
/// A delivery whose line cannot be written is never reported as accepted anywhere: it is stored
/// (in memory only) as rejected with code 503 and the cause, which is what its client was told.
public final class Recorder: Sendable {
    public let store: ReportStore
    public let journal: Journal?
    /// Each delivery's last forward attempt (`--forward-to`), added to its record where served.
    public let forwards: ForwardLog
    private let redactor: SecretRedactor
    private let state: Mutex<State>
    /// Held while writing or rolling back the journal, so lines reach the file in seq order.
    private let writeLock = Mutex(())
    private let syncQueue = DispatchQueue(label: "calldash.journal.sync")
    /// A write of buffered forward lines is scheduled (see `recordForward`).
    private let forwardWriteScheduled = Atomic<Bool>(false)
    /// Told, outside every lock, when journal writes start failing (once per episode, with the
    /// cause), when they work again, and when the file itself goes missing.
    private let report: @Sendable (String) -> Void

    private struct Pending {
        var recorded: Recorded
        /// Its fields' fingerprint when it was remembered as an original (forgotten if it fails).
        var original: FieldFingerprint?
        var packed: [UInt8]
        /// Where its line ends in the journal.
        var end: UInt64
    }

    private struct State {
        var nextSeq: UInt64
        var duplicates: DuplicateIndex
        /// Journaled deliveries whose lines are not in the file yet (or, with fsync, not on
        /// disk yet), in seq order: published once they are, failed if that fails.
        var pending: Deque<Pending> = []
        /// Every seq up to this one is decided (published or failed).
        var decidedThrough: UInt64
        /// Recent failed seq ranges and why, for the replies still waiting on them.
        var failures: Deque<(seqs: ClosedRange<UInt64>, reason: String)> = []
        /// The cause of the current run of failed writes; nil while writes succeed.
        var failing: String?
        var failedInEpisode = 0
        /// Whether the current run was reported, and when the last report of one was: a disk
        /// that is nearly full flaps between failing and working, and is reported once a minute.
        var episodeReported = false
        var lastEpisodeReport: ContinuousClock.Instant?
        /// When the last write failed: a run of failures ends only after a second of good writes.
        var lastFailure: ContinuousClock.Instant?
        var feeds: [Int: DeliveryFeed] = [:]
        var notifiers: [Int: @Sendable () -> Void] = [:]
        var nextSubscriberID = 0
        /// Durability waiters (fsync mode): called once their seq is decided.
        var waiters: [(seq: UInt64, done: @Sendable () -> Void)] = []
        var syncRunning = false
    }

    public init(
        store: ReportStore, journal: Journal?, lastSeq: UInt64, forwards replayed: ForwardOutcomes = ForwardOutcomes(),
        redactor: SecretRedactor = SecretRedactor(secrets: []), report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.store = store
        self.journal = journal
        // Only attempts of deliveries held (a line naming a seq the journal has not reached is no one's).
        var forwards = replayed
        forwards.keep((store.oldestSeq ?? 0)...max(store.oldestSeq ?? 0, lastSeq))
        self.forwards = ForwardLog(forwards, capacity: store.capacity)
        self.redactor = redactor
        self.report = report
        // What was replayed is held: later deliveries repeating it are duplicates of it.
        var duplicates = DuplicateIndex(capacity: store.capacity)
        store.snapshot().scan(StoreFilter()) { r in
            if !r.isRejected, !r.isDuplicate { _ = duplicates.check(FieldFingerprint(packed: r), seq: r.seq, oldestHeld: { nil }) }
        }
        // Replay refuses seqs this large, so the next seq always fits.
        state = Mutex(
            State(nextSeq: min(lastSeq, Self.maxSeq - 1) + 1, duplicates: duplicates, decidedThrough: min(lastSeq, Self.maxSeq - 1)))
    }

    /// How long writes must work again before a run of failures counts as over.
    static let recovery = Duration.seconds(1)

    /// The largest seq a journal may hold: 2^53 − 1, so that seqs stay exact in every JSON
    /// reader, JavaScript's included.
    public static let maxSeq: UInt64 = (1 << 53) - 1

    /// Records a delivery and writes its journal line; throws when the journal could not be
    /// written (the delivery is then kept as rejected with code 503). With fsync on, the line is
    /// written but may not be on disk yet: `whenDurable` says when it is (and publishes it).
    @discardableResult
    public func record(_ incoming: DeliveryRecord) throws(JournalError) -> Recorded {
        let recorded = recordBuffered(incoming)
        if case .notJournaled(let reason) = commit(through: recorded.record.seq) { throw JournalError(reason) }
        return recorded
    }

    /// Records a delivery but leaves its journal line buffered: the caller must
    /// `commit(through:)` its seq before acknowledging it (the receiver batches this).
    public func recordBuffered(_ incoming: consuming DeliveryRecord) -> Recorded {
        var record = incoming
        redactor.redact(&record)
        // Everything but the seq and what it repeats is worked out before taking the lock.
        let afterSeq = record.jsonAfterSeq()
        let fingerprint = record.outcome == .accepted ? FieldFingerprint(record.fields) : nil
        var wake = Wake()
        let recorded: Recorded = state.withLock { st in
            record.seq = st.nextSeq
            st.nextSeq += 1
            record.duplicateOf = fingerprint.flatMap { st.duplicates.check($0, seq: record.seq, oldestHeld: { store.oldestSeq }) }
            let original = record.duplicateOf == nil ? fingerprint : nil
            let line = DeliveryRecord.line(seq: record.seq, duplicateOf: record.duplicateOf, afterSeq: afterSeq)
            let recorded = Recorded(record: record, line: line)
            guard let journal else {
                publish(recorded, packed: Self.pack(record, .inline(line)), &st, &wake)
                st.decidedThrough = record.seq
                return recorded
            }
            let offset = journal.append(line)
            // Pack once: the same bytes go to the journal's index and to the store.
            let packed = Self.pack(record, .journal(offset: offset, length: UInt32(line.count)))
            journal.appendIndex(packed)
            st.pending.append(Pending(recorded: recorded, original: original, packed: packed, end: offset + UInt64(line.count) + 1))
            return recorded
        }
        wake.run()
        return recorded
    }

    private static func pack(_ record: DeliveryRecord, _ location: RecordLocation) -> [UInt8] {
        var packed: [UInt8] = []
        packed.reserveCapacity(256)
        SummaryCodec.encode(ReportSummary(record, location: location), into: &packed)
        return packed
    }

    /// Stores one decided delivery and queues it for every subscriber (under the ingest lock).
    private func publish(_ recorded: Recorded, packed: [UInt8], _ st: inout State, _ wake: inout Wake) {
        packed.withUnsafeBufferPointer { store.append(packed: $0) }
        if !st.notifiers.isEmpty, wake.notifiers.isEmpty { wake.notifiers = Array(st.notifiers.values) }
        guard !st.feeds.isEmpty else { return }
        let entry = FeedEntry(seq: recorded.record.seq, line: recorded.line)
        for feed in st.feeds.values where feed.offer(entry) { wake.feeds.append(feed) }
    }

    /// Subscribers to wake once the ingest lock is released.
    private struct Wake {
        var feeds: [DeliveryFeed] = []
        var notifiers: [@Sendable () -> Void] = []
        var messages: [String] = []

        func run() {
            for f in feeds { f.wakeConsumer() }
            for n in notifiers { n() }
        }
    }

    // MARK: - Writing the journal

    /// Writes buffered journal lines until the delivery `seq` is decided, and says whether it
    /// was journaled. With fsync on, a journaled delivery is durable only after `whenDurable`.
    public func commit(through seq: UInt64) -> JournalOutcome {
        guard let journal else { return .journaled }
        if let outcome = outcome(of: seq) { return outcome }
        writeBuffered(journal, unlessDecided: seq)
        return outcome(of: seq) ?? .journaled
    }

    /// Writes every buffered line (unless `seq` was decided meanwhile: another commit wrote it).
    private func writeBuffered(_ journal: Journal, unlessDecided seq: UInt64?) {
        var wake = Wake()
        writeLock.withLock { _ in
            if let seq, outcome(of: seq) != nil { return }
            guard let batch = state.withLock({ _ in journal.takeBuffered() }) else { return }
            let code = journal.write(batch)
            if code == 0 {
                if let problem = journal.checkFile() { wake.messages.append(problem) }
                state.withLock { st in
                    if let cause = st.failing, st.lastFailure.map({ ContinuousClock.now - $0 >= Self.recovery }) ?? true {
                        if st.episodeReported {
                            wake.messages.append(
                                "journal \(journal.path) is written again (after: \(cause)); \(st.failedInEpisode) deliveries were refused with 503 meanwhile"
                            )
                        }
                        st.failing = nil
                        st.failedInEpisode = 0
                    }
                    if !journal.fsyncEnabled { publishWritten(journal.writtenBytes, &st, &wake) }
                }
            } else {
                let why =
                    switch code {
                    case Journal.changedUnderUs:
                        "\(journal.fileProblem ?? "the file was written to by another program"); the lines after this start at its new end"
                    case Journal.deletedUnderUs: journal.fileProblem ?? "the file was deleted"
                    default: String(cString: strerror(code))
                    }
                let cause = "could not write the delivery to the journal: \(why)"
                // With fsync, lines written but not yet on disk belong to deliveries not yet
                // answered, which now fail too: they are cut away with the failed write.
                if let cut = fail(journal, cause: cause, &wake) { journal.cut(cut) }
            }
        }
        wake.run()
        for m in wake.messages { report(m) }
    }

    // MARK: - Forward attempts

    /// Records an attempt to forward a delivery to the user's app (`final`: the last one made):
    /// its own journal line, the delivery's last attempt in `forwards`, and an entry for every
    /// subscriber. The line goes out with ingest's next write, or within `forwardWriteDelay`:
    /// nobody waits for it, and a write per attempt would cost ingest a system call each.
    public func recordForward(_ incoming: ForwardAttempt, final: Bool) {
        var attempt = incoming
        attempt.url = redactor.redact(attempt.url)
        // Masked, then cut: a secret across the cut would otherwise be left in part.
        attempt.reply = String(redactor.redact(attempt.reply).prefix(ForwardAttempt.replyKept))
        attempt.error = attempt.error.map { redactor.redact($0) }
        forwards.note(attempt, final: final, oldestHeld: store.oldestSeq)
        var event = JSONWriter(capacity: 256)
        event.raw("{\"seq\":")
        event.int(attempt.seq)
        event.raw(",\"forward\":")
        attempt.write(asForwardTo: &event)
        event.raw("}")
        let entry = FeedEntry(seq: attempt.seq, line: event.bytes, kind: .forward)
        let line = attempt.line()
        var wake = Wake()
        state.withLock { st in
            _ = journal?.append(line)
            if !st.notifiers.isEmpty { wake.notifiers = Array(st.notifiers.values) }
            for feed in st.feeds.values where feed.takesForwards && feed.offer(entry) { wake.feeds.append(feed) }
        }
        wake.run()
        if let journal, !forwardWriteScheduled.exchange(true, ordering: .acquiringAndReleasing) {
            syncQueue.asyncAfter(deadline: .now() + Self.forwardWriteDelay) { [self] in
                forwardWriteScheduled.store(false, ordering: .releasing)
                writeBuffered(journal, unlessDecided: nil)
            }
        }
    }

    static let forwardWriteDelay = DispatchTimeInterval.milliseconds(20)

    // MARK: - Another receiver's records (watch --remote)

    /// Takes in a record another receiver recorded: stored under its own seq with its line in
    /// memory (there is no journal here), its forward noted, subscribers told. A record at or
    /// before the last one taken is left out (a page and the stream may both carry it); false then.
    /// `line` is the record's JSON as the other receiver served it, when at hand (kept as it is).
    @discardableResult
    public func adopt(_ incoming: DeliveryRecord, line served: ArraySlice<UInt8>? = nil) -> Bool {
        var record = incoming
        let forward = record.forward
        record.forward = nil
        let line = served.map(Array.init) ?? record.json()
        let packed = Self.pack(record, .inline(line))
        var wake = Wake()
        let taken: Bool = state.withLock { st in
            guard record.seq >= st.nextSeq, record.seq <= Self.maxSeq else { return false }
            st.nextSeq = record.seq + 1
            st.decidedThrough = record.seq
            publish(Recorded(record: record, line: line), packed: packed, &st, &wake)
            return true
        }
        if taken, let forward { forwards.note(forward, final: true, oldestHeld: store.oldestSeq) }
        wake.run()
        return taken
    }

    /// Notes another receiver's forward attempt (its stream's `event: forward`) when its
    /// delivery is held here.
    public func adoptForward(_ attempt: ForwardAttempt) {
        guard let oldest = store.oldestSeq, (attempt.through ?? attempt.seq) >= oldest, attempt.seq <= lastSeq else { return }
        forwards.note(attempt, final: true, oldestHeld: oldest)
        let notifiers = state.withLock { Array($0.notifiers.values) }
        for n in notifiers { n() }
    }

    /// The seq of the last delivery recorded or taken in (0 when none).
    public var lastSeq: UInt64 { state.withLock { $0.nextSeq - 1 } }

    /// Fails every delivery not yet on disk (under the ingest lock, in memory only); returns
    /// where to cut the files, with fsync on. Lines an fsync has just covered are published
    /// first: their deliveries are on disk, and must not be answered 503.
    private func fail(_ journal: Journal, cause: String, _ wake: inout Wake) -> Journal.Cut? {
        state.withLock { st in
            var cut: Journal.Cut?
            if journal.fsyncEnabled {
                publishWritten(journal.syncedBytes, &st, &wake)
                cut = journal.forgetUnsynced()
            } else {
                journal.discardBuffered()
            }
            failPending(cause: cause, &st, &wake)
            return cut
        }
    }

    /// Publishes the pending deliveries whose lines end within `bytes` of the file.
    private func publishWritten(_ bytes: UInt64, _ st: inout State, _ wake: inout Wake) {
        while let first = st.pending.first, first.end <= bytes {
            st.pending.removeFirst()
            publish(first.recorded, packed: first.packed, &st, &wake)
            st.decidedThrough = first.recorded.record.seq
        }
    }

    /// Every pending delivery becomes what its client is told: rejected, 503, kept in memory only.
    private func failPending(cause: String, _ st: inout State, _ wake: inout Wake) {
        guard let first = st.pending.first?.recorded.record.seq, let last = st.pending.last?.recorded.record.seq else { return }
        if st.failing == nil {
            let now = ContinuousClock.now
            st.episodeReported = st.lastEpisodeReport.map { now - $0 > .seconds(60) } ?? true
            if st.episodeReported {
                wake.messages.append(
                    "\(cause) (journal \(journal?.path ?? "")); deliveries are answered 503 and kept in memory only until it can be written again"
                )
                st.lastEpisodeReport = now
            }
            st.failing = cause
        }
        st.lastFailure = ContinuousClock.now
        st.failedInEpisode += st.pending.count
        st.failures.append((first...last, cause))
        if st.failures.count > 256 { st.failures.removeFirst() }
        while let p = st.pending.popFirst() {
            var record = p.recorded.record
            // Not kept: it is no call's original, and as a refused delivery it repeats none.
            if let f = p.original { st.duplicates.forget(f, seq: record.seq) }
            record.duplicateOf = nil
            record.error = record.outcome == .rejected ? "\(cause); it was rejected: \(record.error ?? "")" : cause
            record.outcome = .rejected
            record.responseCode = 503
            let line = record.json()
            publish(Recorded(record: record, line: line), packed: Self.pack(record, .inline(line)), &st, &wake)
            st.decidedThrough = record.seq
        }
    }

    /// `outcome(of:)` for many seqs under one lock (a loop pass's replies).
    public func outcomes(of seqs: [UInt64]) -> [JournalOutcome?] {
        state.withLock { st in
            seqs.map { seq in
                guard seq <= st.decidedThrough else { return nil }
                for f in st.failures.reversed() where f.seqs.contains(seq) { return .notJournaled(reason: f.reason) }
                return .journaled
            }
        }
    }

    /// nil while `seq` waits for its write (or its fsync); otherwise whether it was journaled.
    public func outcome(of seq: UInt64) -> JournalOutcome? {
        outcomes(of: [seq])[0]
    }

    /// With fsync on: calls `done` with the outcome once `seq` is on disk or has failed (group
    /// commit: one fsync serves every line written before it started). Without fsync, at once.
    public func whenDurable(_ seq: UInt64, _ done: @escaping @Sendable (JournalOutcome) -> Void) {
        guard let journal, journal.fsyncEnabled else { return done(outcome(of: seq) ?? .journaled) }
        let start: Bool? = state.withLock { st in
            if seq <= st.decidedThrough { return nil }
            st.waiters.append((seq, { done(self.outcome(of: seq) ?? .journaled) }))
            defer { st.syncRunning = true }
            return !st.syncRunning
        }
        switch start {
        case nil: done(outcome(of: seq) ?? .journaled)
        case true?: syncQueue.async { self.syncLoop(journal) }
        case false?: break
        }
    }

    private func syncLoop(_ journal: Journal) {
        while true {
            var wake = Wake()
            var ready: [@Sendable () -> Void] = []
            let code = journal.sync()
            if code == 0 {
                state.withLock { st in publishWritten(journal.syncedBytes, &st, &wake) }
            } else {
                writeLock.withLock { _ in
                    let cause = "could not write the delivery to the journal: fsync failed: \(String(cString: strerror(code)))"
                    if let cut = fail(journal, cause: cause, &wake) { journal.cut(cut) }
                }
            }
            let more: Bool = state.withLock { st in
                let through = st.decidedThrough
                ready = st.waiters.filter { $0.seq <= through }.map(\.done)
                st.waiters.removeAll { $0.seq <= through }
                st.syncRunning = !st.waiters.isEmpty
                return st.syncRunning
            }
            wake.run()
            for m in wake.messages { report(m) }
            for done in ready { done() }
            if !more { return }
        }
    }

    /// Writes and syncs everything buffered (at shutdown).
    public func flush() {
        guard let journal else { return }
        let last = state.withLock { $0.nextSeq - 1 }
        _ = commit(through: last)
        writeBuffered(journal, unlessDecided: nil) // forward lines waiting for their write
        guard journal.sync() == 0 else { return }
        var wake = Wake()
        state.withLock { st in publishWritten(journal.syncedBytes, &st, &wake) }
        wake.run()
    }

    /// Why the journal is not taking deliveries now, or what happened to its file; nil when fine.
    public var journalProblem: String? {
        state.withLock { $0.failing } ?? journal?.fileProblem
    }

    // MARK: - Subscribers

    /// Queues every delivery published from now on into `feed`, in seq order. Returns the
    /// subscription and the last seq published before it: a stream that resumes reads the
    /// deliveries after its client's last one up to that seq from the store (`backlog`).
    public func subscribe(_ feed: DeliveryFeed) -> (id: Int, through: UInt64) {
        state.withLock { st in
            let id = st.nextSubscriberID
            st.nextSubscriberID += 1
            st.feeds[id] = feed
            return (id, st.decidedThrough)
        }
    }

    /// Calls `changed` (never under the ingest lock) after deliveries were published.
    public func onChange(_ changed: @escaping @Sendable () -> Void) -> Int {
        state.withLock { st in
            let id = st.nextSubscriberID
            st.nextSubscriberID += 1
            st.notifiers[id] = changed
            return id
        }
    }

    public func unsubscribe(_ id: Int) {
        state.withLock { st in
            st.feeds[id] = nil
            st.notifiers[id] = nil
        }
    }

    /// What a resuming stream sends before its live events.
    public struct Backlog: Sendable {
        /// Stored deliveries after the client's last one, oldest first (at most the limit).
        public var deliveries: [FeedEntry] = []
        /// Set when deliveries after `after` are not in `deliveries`: those before `resumesAt`
        /// (more than the limit, or no longer in memory) must be paged through `/reports`.
        public var resumesAt: UInt64?
        /// Records that could not be read back (named, and skipped).
        public var unreadable: [UInt64] = []
    }

    /// The stored deliveries with `after` < seq ≤ `through`, at most `limit` of them (the newest),
    /// read back without any lock that ingest needs.
    public func backlog(after: UInt64, through: UInt64, limit: Int) -> Backlog {
        var out = Backlog()
        guard through > after else { return out }
        let snapshot = store.snapshot()
        let from = snapshot.index(afterSeq: after)
        let to = snapshot.index(afterSeq: through)
        guard from < to else {
            out.resumesAt = through + 1
            return out
        }
        let start = max(from, to - limit)
        let first = snapshot.seq(at: start)
        if first != after + 1 { out.resumesAt = first }
        for i in start..<to {
            let summary = snapshot[i]
            if let line = checkedLine(for: summary) {
                out.deliveries.append(FeedEntry(seq: summary.seq, line: line))
            } else {
                out.unreadable.append(summary.seq)
            }
        }
        return out
    }

    // MARK: - Reading back

    /// A stored record's line, read back and checked before it is served (a page, a stream's
    /// backlog): nil when it cannot be read, is not one valid JSON value, or is another record's.
    /// Validating the JSON without building the record is what keeps one damaged byte from
    /// breaking a whole page, at a fraction of a full decode.
    private func checkedLine(for summary: ReportSummary) -> [UInt8]? {
        guard let line = try? line(for: summary), Self.isRecord(line, seq: summary.seq) else { return nil }
        return DeliveryRecord.line(line, forward: forward(of: summary))
    }

    /// A held record's forward: none for a rejected delivery (never forwarded; a full queue's
    /// run of seqs not forwarded may span it).
    private func forward(of summary: ReportSummary) -> ForwardAttempt? {
        summary.outcome == .rejected ? nil : forwards.last(of: summary.seq)
    }

    /// Whether `line` is one valid JSON value and the record of `seq`.
    private static func isRecord(_ line: [UInt8], seq: UInt64) -> Bool {
        let prefix = Array("{\"seq\":\(seq),".utf8)
        guard line.starts(with: prefix) else { return false }
        return line.withUnsafeBufferPointer { p -> Bool in
            var scanner = JSONScanner(p)
            do throws(JSONError) {
                _ = try scanner.skipValue()
                try scanner.expectEnd()
                return true
            } catch {
                return false
            }
        }
    }

    /// What `record(seq:)` found.
    public enum Lookup: Sendable, Equatable {
        case line([UInt8])
        /// The record exists but cannot be read back (the journal was damaged or cut).
        case unreadable(String)
        case unknown(String)
    }

    /// The JSON record of the delivery `seq`: from memory, or from the journal once it has left
    /// memory (found there by bisection), checked before it is served.
    public func record(seq: UInt64) -> Lookup {
        let snapshot = store.snapshot()
        if let i = snapshot.index(ofSeq: seq) {
            return checkedLine(for: snapshot[i]).map(Lookup.line)
                ?? .unreadable("the record of seq \(seq) cannot be read back from the journal (damaged or cut short)")
        }
        let last = state.withLock { $0.decidedThrough }
        guard seq >= 1, seq <= last else {
            return .unknown(
                last == 0 ? "no delivery with seq \(seq): none has been recorded" : "no delivery with seq \(seq): the last is \(last)")
        }
        guard let journal else {
            return .unknown("no delivery with seq \(seq) is held: it left memory, and there is no journal (--no-journal)")
        }
        guard let line = journal.line(ofSeq: seq) else {
            return .unknown("no delivery with seq \(seq) in the journal \(journal.path) (it began after it, or the line is gone)")
        }
        return Self.isRecord(line, seq: seq)
            ? .line(DeliveryRecord.line(line, forward: forwards.last(of: seq)))
            : .unreadable("the line of seq \(seq) in the journal is not a valid record")
    }

    /// The full JSON record behind a stored summary.
    public func line(for summary: ReportSummary) throws(JournalError) -> [UInt8] {
        switch summary.location {
        case .inline(let line): return line
        case .journal(let offset, let length):
            guard let journal else { throw JournalError("record \(summary.seq) lives in a journal that is not open") }
            return try journal.line(at: offset, length: length)
        }
    }

    /// What `lines(matching:)` found.
    public struct Lines: Sendable {
        public var lines: [[UInt8]] = []
        /// Their bytes: a page stops once it holds `maxPageBytes` (the client pages on with `after`).
        public var bytes = 0
        /// Seqs of matching summaries whose records could not be read back, skipped.
        public var unreadable: [UInt64] = []
    }

    /// The JSON records of up to `limit` stored deliveries with seq > `after` that match `query`,
    /// in ascending seq. A record that cannot be read back (or is not a valid record) is skipped
    /// and named, so one damaged line never fails a page or breaks its JSON.
    /// The most a page of records holds, whatever its limit: 10,000 records of 1 MiB bodies
    /// would otherwise be a 10 GiB answer.
    public static let maxPageBytes = 32 << 20

    public func lines(matching query: ReportQuery, after: UInt64 = 0, limit: Int) -> Lines {
        if let text = query.text, let needle = TextNeedle(text), let journal {
            return search(query, needle, in: journal, after: after, limit: limit)
        }
        let snapshot = store.snapshot()
        var out = Lines()
        var i = snapshot.index(afterSeq: after)
        while i < snapshot.count, out.lines.count < limit, out.bytes < Self.maxPageBytes {
            let summary = snapshot[i]
            i += 1
            guard query.matches(summary) else { continue }
            guard let line = checkedLine(for: summary) else {
                out.unreadable.append(summary.seq)
                continue
            }
            if query.needsFullRecord {
                guard let record = try? DeliveryRecord(json: line) else {
                    out.unreadable.append(summary.seq)
                    continue
                }
                guard query.matches(record) else { continue }
            }
            out.lines.append(line)
            out.bytes += line.count
        }
        return out
    }

    /// A text search through the journal: blocks of consecutive lines are read whole and
    /// scanned as bytes on every core (`TextNeedle`), and only the lines that may hold the text
    /// are parsed and checked in full, in seq order, until `limit` match.
    private func search(_ query: ReportQuery, _ needle: TextNeedle, in journal: Journal, after: UInt64, limit: Int) -> Lines {
        let snapshot = store.snapshot()
        var out = Lines()
        var i = snapshot.index(afterSeq: after)
        let workers = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        while i < snapshot.count, out.lines.count < limit, out.bytes < Self.maxPageBytes {
            let end = min(i + Self.searchBlock, snapshot.count)
            let parts = Self.split(i..<end, into: workers)
            var found = [[Int]](repeating: [], count: parts.count)
            found.withUnsafeMutableBufferPointer { results in
                // Each worker writes only its own slot; the snapshot and journal are read-only here.
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: parts.count) { w in
                    results[w] = Self.candidates(parts[w], snapshot, needle, journal)
                }
            }
            for k in found.joined() {
                let summary = snapshot[k]
                guard query.matches(summary) else { continue }
                guard let line = try? line(for: summary), let record = try? DeliveryRecord(json: line), record.seq == summary.seq else {
                    out.unreadable.append(summary.seq)
                    continue
                }
                guard query.matches(record) else { continue }
                let served = DeliveryRecord.line(line, forward: forward(of: summary))
                out.lines.append(served)
                out.bytes += served.count
                if out.lines.count == limit || out.bytes >= Self.maxPageBytes { break }
            }
            i = end
        }
        return out
    }

    /// Records looked at per round of a search: enough to keep every core busy, few enough that
    /// a search with a small limit stops soon after it is met.
    static let searchBlock = 16_384

    private static func split(_ r: Range<Int>, into n: Int) -> [Range<Int>] {
        (0..<n).map { k in (r.lowerBound + r.count * k / n)..<(r.lowerBound + r.count * (k + 1) / n) }.filter { !$0.isEmpty }
    }

    /// The indexes in `range` whose journal line may hold the text (and every record kept
    /// inline or unreadable, which the full check then decides).
    private static func candidates(_ range: Range<Int>, _ snapshot: StoreSnapshot, _ needle: TextNeedle, _ journal: Journal) -> [Int] {
        var out: [Int] = []
        var buffer: [UInt8] = []
        var k = range.lowerBound
        while k < range.upperBound {
            // A run of records whose lines follow each other in the file, read in one go (4 MiB at most).
            guard let first = snapshot.journalLine(at: k) else {
                out.append(k)
                k += 1
                continue
            }
            var runEnd = k + 1
            var last = first
            while runEnd < range.upperBound, let next = snapshot.journalLine(at: runEnd), next.offset == last.offset + last.length + 1,
                next.offset + next.length - first.offset < 4 << 20
            {
                last = next
                runEnd += 1
            }
            let total = Int(last.offset + last.length - first.offset)
            if journal.read(&buffer, from: first.offset, count: total) {
                buffer.withUnsafeBytes { b in
                    for j in k..<runEnd {
                        guard let at = snapshot.journalLine(at: j) else { continue }
                        let start = Int(at.offset - first.offset)
                        if needle.mayMatch(UnsafeRawBufferPointer(rebasing: b[start..<(start + Int(at.length))])) { out.append(j) }
                    }
                }
            } else {
                out.append(contentsOf: k..<runEnd)
            }
            k = runEnd
        }
        return out
    }

    /// The full record behind a stored summary.
    public func record(for summary: ReportSummary) throws(JournalError) -> DeliveryRecord {
        let line = try line(for: summary)
        do {
            var record = try DeliveryRecord(json: line)
            record.forward = forward(of: summary)
            return record
        } catch {
            throw JournalError("record \(summary.seq) in the journal is unreadable: \(error.description)")
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
