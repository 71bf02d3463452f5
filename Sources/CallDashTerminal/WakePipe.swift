import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Wakes the UI thread from `poll`: any thread may signal; bursts collapse into one byte
/// until the UI drains it, so 20,000 arrivals a second cost a handful of writes.
final class WakePipe: Sendable {
    let readFD: Int32
    private let writeFD: Int32
    private let pending = Atomic<Bool>(false)

    init() throws(TerminalError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError("cannot create the wake-up pipe: errno \(errno)") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    func signal() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empties the pipe; signals after this wake the next `poll` again. The flag is cleared
    /// after the read: clearing it first would let a signal's byte be read here while the flag
    /// stays set, and no signal would ever write again. A signal that lands between the read and
    /// the clear is not lost either: the caller looks at the store and its inbox after draining.
    func drain() {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buf, buf.count) > 0 {}
        pending.store(false, ordering: .releasing)
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}

/// A terminal-layer failure, said in one line.
public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
