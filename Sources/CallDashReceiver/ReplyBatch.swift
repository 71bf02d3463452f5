import CallDashCore
import NIOCore

/// Holds one event-loop pass's replies until their journal lines are written.
///
/// Every delivery handled in the same pass of the loop shares one `write(2)` (and, with
/// `--fsync`, one fsync); only then do the replies go out, so no client is told "ok" for a
/// delivery the journal does not hold. Lives on, and is touched only from, its event loop.
final class ReplyBatch {
    private let loop: EventLoop
    private let journal: Journal?
    private var replies: [(Bool) -> Void] = []
    private var end: UInt64 = 0
    private var scheduled = false

    init(loop: EventLoop, journal: Journal?) {
        self.loop = loop
        self.journal = journal
    }

    /// Queues `reply` to run, with true when the journal has the delivery and false when
    /// writing it failed, after this pass of the loop.
    func add(journalEnd: UInt64?, _ reply: @escaping (Bool) -> Void) {
        guard let journalEnd, journal != nil else { return reply(true) }
        replies.append(reply)
        end = max(end, journalEnd)
        guard !scheduled else { return }
        scheduled = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.execute { bound.value.commit() }
    }

    private func commit() {
        var ready: [(Bool) -> Void] = []
        swap(&ready, &replies) // take the list without copying it
        let upTo = end
        scheduled = false
        guard let journal else { return }
        do throws(JournalError) {
            try journal.commit(upTo: upTo)
        } catch {
            return ready.forEach { $0(false) }
        }
        guard journal.fsyncEnabled else { return ready.forEach { $0(true) } }
        let bound = NIOLoopBound(ready, eventLoop: loop)
        let loop = self.loop
        journal.whenDurable(upTo: upTo) { ok in loop.execute { bound.value.forEach { $0(ok) } } }
    }
}
