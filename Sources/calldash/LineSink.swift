import Dispatch
import Synchronization

/// Writes lines to a file descriptor in batches, off the caller's thread: `serve` prints every
/// delivery, and neither a slow stdout reader nor a wake-up per line may slow the receiver.
/// A line is written within a few milliseconds, with whatever else arrived meanwhile.
final class LineSink: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        /// The buffer the last drain wrote, emptied but keeping its memory, to swap in next time:
        /// allocating a fresh buffer per drain cost a fifth of ingest throughput.
        var spare: [UInt8] = []
        var drainScheduled = false
    }

    private let fd: Int32
    private let delay: DispatchTimeInterval
    private let pending = Mutex(Pending())
    private let queue = DispatchQueue(label: "calldash.output")

    init(fd: Int32, delay: DispatchTimeInterval = .milliseconds(5)) {
        self.fd = fd
        self.delay = delay
    }

    /// Queues a line; lines keep the order of the calls.
    func write(_ line: [UInt8]) {
        let schedule = pending.withLock { p in
            p.bytes.append(contentsOf: line)
            p.bytes.append(0x0A)
            defer { p.drainScheduled = true }
            return !p.drainScheduled
        }
        if schedule { queue.asyncAfter(deadline: .now() + delay) { self.drain() } }
    }

    /// Writes whatever is queued, and waits for writes already under way.
    func flush() {
        queue.sync { drain() }
    }

    private func drain() {
        var bytes = pending.withLock { p in
            var taken: [UInt8] = []
            swap(&taken, &p.spare)
            swap(&taken, &p.bytes)
            p.drainScheduled = false
            return taken
        }
        if !bytes.isEmpty { Output.write(bytes, fd: fd) }
        bytes.removeAll(keepingCapacity: true)
        pending.withLock { p in
            if p.spare.capacity < bytes.capacity { swap(&p.spare, &bytes) }
        }
    }
}
