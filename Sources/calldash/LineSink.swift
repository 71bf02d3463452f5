import CallDashCore
import Dispatch
import Synchronization

/// Prints one line per recorded delivery to a file descriptor, off the receiver's threads:
/// `serve` prints every delivery, and neither a slow stdout reader nor a wake-up per line may
/// slow the receiver. Lines are written in batches a few milliseconds apart.
///
/// A reader that stops reading (a paused terminal, `serve | sleep`) fills the subscription's
/// bounded queue; further lines are then dropped, not buffered, and a warning on stderr counts
/// them and names their seqs once the reader takes lines again. Ingest is never held up for
/// stdout: the journal and the API have every delivery, stdout is a view of them.
final class LineSink: Sendable {
    private let fd: Int32
    private let format: @Sendable (FeedEntry) -> [UInt8]
    /// Where the lines that were not printed can still be read.
    private let missed: String
    private let queue = DispatchQueue(label: "calldash.output")
    /// Set once, right after the sink is made (the feed needs the sink to wake it).
    private let feed = Mutex<DeliveryFeed?>(nil)

    private init(fd: Int32, missed: String, format: @escaping @Sendable (FeedEntry) -> [UInt8]) {
        self.fd = fd
        self.missed = missed
        self.format = format
    }

    /// Subscribes a sink to `recorder`; returns it and its subscription.
    static func subscribe(
        _ recorder: Recorder, fd: Int32, delay: DispatchTimeInterval = .milliseconds(5),
        format: @escaping @Sendable (FeedEntry) -> [UInt8]
    ) -> (sink: LineSink, subscription: Int) {
        let missed =
            recorder.journal.map { "the journal (\($0.path)) and /_calldash/reports have them" }
            ?? "/_calldash/reports has them while they are held in memory (--no-journal)"
        let sink = LineSink(fd: fd, missed: missed, format: format)
        let feed = DeliveryFeed(maxDeliveries: 8192, maxBytes: 16 << 20, whenFull: .dropNewest) { [weak sink] in
            guard let sink else { return }
            sink.queue.asyncAfter(deadline: .now() + delay) { sink.drain() }
        }
        sink.feed.withLock { $0 = feed }
        return (sink, recorder.subscribe(feed).id)
    }

    /// Writes whatever is queued, and waits for writes already under way.
    func flush() {
        queue.sync { drain() }
    }

    private func drain() {
        guard let feed = feed.withLock({ $0 }) else { return }
        while true {
            let batch = feed.take(limit: 1024)
            if batch.deliveries.isEmpty && batch.dropped == 0 { return }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(batch.deliveries.reduce(0) { $0 + $1.line.count + 1 })
            for r in batch.deliveries where r.kind == .delivery {
                bytes.append(contentsOf: format(r))
                bytes.append(0x0A)
            }
            if !bytes.isEmpty { Output.write(bytes, fd: fd) }
            if batch.dropped > 0, let seqs = batch.droppedSeqs {
                Output.warn(
                    "output fell behind: \(batch.dropped) deliveries (seq \(seqs.lowerBound)–\(seqs.upperBound)) were not printed; \(missed)"
                )
            }
        }
    }
}
