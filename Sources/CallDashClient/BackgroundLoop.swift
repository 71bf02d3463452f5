import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Event loop threads of their own, and a task executor that runs tasks on them: work given to
/// it (an HTTP client on this group, tasks that prefer this executor) stays on those threads.
///
/// `lowerPriority()` gives the threads the lowest CPU priority (nice 19): on a machine that is
/// busy taking deliveries, forwarding then gets little of the time ingest needs, instead of half.
final class BackgroundLoop: TaskExecutor {
    let group: MultiThreadedEventLoopGroup
    /// Set once the threads are shutting down: a task still handed to this executor (an
    /// unstructured one that outlived its owner) runs on the global executor instead, since
    /// a loop that is closing drops what it is given and the task would never resume.
    private let closed = Mutex(false)

    init(threads: Int) { group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads)) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let onLoop = closed.withLock { closed -> Bool in
            guard !closed else { return false }
            group.next().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
            return true
        }
        if !onLoop { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// On Linux a nice value belongs to one thread, and `who` 0 names the calling one.
    func lowerPriority() {
        #if canImport(Glibc)
            for loop in group.makeIterator() {
                loop.execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19) }
            }
        #endif
    }

    func shutdown() async {
        closed.withLock { $0 = true }
        try? await group.shutdownGracefully()
    }

    /// For an owner dropped without `shutdown`: the threads end once their work is done.
    func shutdownSoon() {
        closed.withLock { $0 = true }
        group.shutdownGracefully { _ in }
    }
}
