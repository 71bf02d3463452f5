import Logging
import NIOCore
import NIOPosix
import Synchronization

/// How long the receiver waits before accepting again after `accept` failed (no file
/// descriptors left): long enough not to spin, short enough to recover quickly. Says so in
/// the log at most once every ten seconds.
final class AcceptBackoff: Sendable {
    private let logger: Logger
    private let lastLogged = Mutex<NIODeadline?>(nil)

    init(logger: Logger) {
        self.logger = logger
    }

    @Sendable func delay(_ error: IOError) -> TimeAmount? {
        let now = NIODeadline.now()
        let log = lastLogged.withLock { last in
            guard last.map({ now - $0 > .seconds(10) }) ?? true else { return false }
            last = now
            return true
        }
        if log {
            logger.error("cannot accept connections: \(String(cString: strerror(error.errnoCode))); waiting 200 ms between tries (raise the limit with ulimit -n)")
        }
        return .milliseconds(200)
    }
}

#if canImport(Glibc)
import Glibc
#endif
