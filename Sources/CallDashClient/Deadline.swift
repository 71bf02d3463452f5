import Synchronization

/// An answer that did not finish in time: a peer sending its body a byte a second would
/// otherwise hold a command for as long as it likes (the client's read timeout restarts with
/// every byte).
struct AnswerTimedOut: Error, CustomStringConvertible {
    var seconds: Int64
    var description: String { "the answer did not finish within \(seconds) s" }
}

/// Runs `work` and returns its result, or gives up after `seconds` without waiting for it: the
/// work is cancelled then, but a client reading a body may notice only at its next byte. A
/// cancelled caller (a forwarder stopping) is answered at once in the same way. The work and
/// its timer run on `executor` when one is given (a caller's own thread).
func within<T: Sendable>(
    seconds: Int64, on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    try Task.checkCancellation()
    let race = Race<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.waiting.withLock { $0 = continuation }
            // Cancelled before the continuation was stored: nobody else will answer it.
            if race.cancelled.load(ordering: .acquiring) { return race.answer(.failure(CancellationError())) }
            // Whichever ends first answers; the other finds nobody waiting.
            let timer = Task(executorPreference: executor) {
                guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
                race.answer(.failure(AnswerTimedOut(seconds: seconds)))
                race.worker.withLock { $0?.cancel() }
            }
            race.timer.withLock { $0 = timer }
            race.worker.withLock { w in
                w = Task(executorPreference: executor) {
                    let result: Result<T, Error>
                    do { result = .success(try await work()) } catch { result = .failure(error) }
                    race.answer(result)
                    timer.cancel()
                }
            }
        }
    } onCancel: {
        race.cancelled.store(true, ordering: .releasing)
        race.answer(.failure(CancellationError()))
        race.worker.withLock { $0?.cancel() }
        race.timer.withLock { $0?.cancel() }
    }
}

/// The caller waiting on `within`, answered once, and the work it waits for.
private final class Race<T: Sendable>: Sendable {
    let waiting = Mutex<CheckedContinuation<T, Error>?>(nil)
    let worker = Mutex<Task<Void, Never>?>(nil)
    let timer = Mutex<Task<Void, Never>?>(nil)
    let cancelled = Atomic<Bool>(false)

    func answer(_ result: Result<T, Error>) {
        waiting.withLock { c in
            c?.resume(with: result)
            c = nil
        }
    }
}
