import Glibc
import NIOCore
import NIOPosix

/// One event loop thread of its own, and a task executor that runs tasks on it: work given to
/// it (an HTTP client on this group, tasks that prefer this executor) stays on that thread.
///
/// `lowerPriority()` gives the thread the lowest CPU priority (nice 19): on a machine that is
/// busy taking deliveries, forwarding then gets only the time ingest leaves, instead of half.
final class BackgroundLoop: TaskExecutor {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    init() { loop = group.next() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// On Linux a nice value belongs to one thread, and `who` 0 names the calling one.
    func lowerPriority() {
        loop.execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19) }
    }

    func shutdown() async { try? await group.shutdownGracefully() }

    /// For an owner dropped without `shutdown`: the thread ends once its work is done.
    func shutdownSoon() { group.shutdownGracefully { _ in } }
}
