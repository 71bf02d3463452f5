import Foundation
import Synchronization

/// Starts `work` on a thread of its own, for a call that blocks; the result is awaited as a task.
func onItsOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) -> @Sendable () async -> T {
    let result = Mutex<T?>(nil)
    Thread.detachNewThread {
        let value = work()
        result.withLock { $0 = value }
    }
    return {
        while true {
            if let value = result.withLock({ $0 }) { return value }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
