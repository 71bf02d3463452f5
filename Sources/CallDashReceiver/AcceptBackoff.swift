import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// On the listening socket: when `accept` fails (no file descriptors left), stop reading from
/// the socket for a moment instead of retrying at once, and say so in the log at most once
/// every ten seconds.
///
/// NIO's `AcceptBackoffHandler` only withholds the next `read`, but a failed accept leaves the
/// socket registered for reads, so the event loop spun on `accept4` at 100% CPU; turning
/// `autoRead` off unregisters it until the pause is over.
final class AcceptBackoff: ChannelInboundHandler {
    typealias InboundIn = Channel

    static let pause = TimeAmount.milliseconds(200)
    private let logger: Logger
    private var lastLogged: NIODeadline?
    private var paused = false

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let io = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(io.errnoCode) else {
            return context.fireErrorCaught(error)
        }
        let now = NIODeadline.now()
        if lastLogged.map({ now - $0 > .seconds(10) }) ?? true {
            lastLogged = now
            logger.error(
                "cannot accept connections: \(String(cString: strerror(io.errnoCode))); pausing \(Self.pause.nanoseconds / 1_000_000) ms between tries (raise the limit with ulimit -n)"
            )
        }
        guard !paused, let options = context.channel.syncOptions else { return }
        paused = true
        try? options.setOption(.autoRead, value: false)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.pause) {
            let (handler, context) = bound.value
            handler.paused = false
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }
}
