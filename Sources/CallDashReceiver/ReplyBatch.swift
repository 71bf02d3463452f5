import CallDashCore
import NIOCore

/// Holds one event-loop pass's replies until their journal lines are written.
///
/// Every delivery handled in the same pass of the loop shares one `write(2)` (and, with
/// `--fsync`, one fsync); only then do the replies go out, so no client is told "ok" for a
/// delivery the journal does not hold. Lives on, and is touched only from, its event loop.
final class ReplyBatch {
    private let loop: EventLoop
    private let recorder: Recorder
    private let metrics: ReceiverMetrics?
    private var replies: [(seq: UInt64, reply: (JournalOutcome) -> Void)] = []
    private var scheduled = false

    init(loop: EventLoop, recorder: Recorder, metrics: ReceiverMetrics? = nil) {
        self.loop = loop
        self.recorder = recorder
        self.metrics = metrics
    }

    /// Queues `reply` to run after this pass of the loop, with whether the delivery `seq` is in
    /// the journal (at once when there is no journal).
    func add(seq: UInt64, _ reply: @escaping (JournalOutcome) -> Void) {
        guard recorder.journal != nil else { return reply(.journaled) }
        replies.append((seq, reply))
        guard !scheduled else { return }
        scheduled = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.execute { bound.value.commit() }
    }

    private func commit() {
        var ready: [(seq: UInt64, reply: (JournalOutcome) -> Void)] = []
        swap(&ready, &replies) // take the list without copying it
        scheduled = false
        guard let last = ready.last?.seq else { return }
        let started = NIODeadline.now()
        _ = recorder.commit(through: last)
        metrics?.journalCommit(nanoseconds: (NIODeadline.now() - started).nanoseconds)
        guard recorder.journal?.fsyncEnabled == true else { return Self.answer(ready, recorder) }
        let bound = NIOLoopBound(ready, eventLoop: loop)
        let (loop, recorder) = (self.loop, self.recorder)
        recorder.whenDurable(last) { _ in loop.execute { Self.answer(bound.value, recorder) } }
    }

    private static func answer(_ ready: [(seq: UInt64, reply: (JournalOutcome) -> Void)], _ recorder: Recorder) {
        let outcomes = recorder.outcomes(of: ready.map(\.seq))
        for (r, outcome) in zip(ready, outcomes) { r.reply(outcome ?? .journaled) }
    }
}
