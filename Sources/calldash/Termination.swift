import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Waits for SIGINT or SIGTERM, so commands can shut down cleanly (journal flushed).
enum Termination {
    /// Signal sources must outlive the wait; they live until the process exits.
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    static func wait() async {
        let stream = AsyncStream<Int32> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                sources.withLock {
                    let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                    source.setEventHandler { continuation.yield(sig) }
                    source.resume()
                    $0.append(source)
                }
            }
        }
        for await _ in stream { return }
    }
}
