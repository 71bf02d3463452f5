import CallDashCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Why the receiver could not start, in one line.
public struct ReceiverError: Error, CustomStringConvertible {
    public var description: String
}

/// The embedded HTTP receiver: binds, takes deliveries in through the recorder, serves the API.
public final class Receiver: Sendable {
    public let configuration: ReceiverConfiguration
    private let shared: ReceiverContext
    private let group: MultiThreadedEventLoopGroup
    private let channel = Mutex<Channel?>(nil)

    public init(configuration: ReceiverConfiguration, recorder: Recorder, logger: Logger = Logger(label: "calldash.receiver")) {
        self.configuration = configuration
        shared = ReceiverContext(configuration: configuration, recorder: recorder, logger: logger)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
    }

    /// Starts listening; returns the port bound (useful with port 0).
    public func start() async throws(ReceiverError) -> Int {
        let shared = self.shared
        let recorder = shared.recorder
        // One reply batch per event loop, shared by that loop's connections.
        var batches: [ObjectIdentifier: NIOLoopBound<ReplyBatch>] = [:]
        for loop in group.makeIterator() {
            do {
                batches[ObjectIdentifier(loop)] = try await loop.submit {
                    NIOLoopBound(ReplyBatch(loop: loop, recorder: recorder, metrics: shared.metrics), eventLoop: loop)
                }.get()
            } catch {
                throw ReceiverError(description: "cannot start the receiver's event loops: \(error)")
            }
        }
        let loopBatches = batches
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                // Out of file descriptors: wait before accepting again instead of spinning a core.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoff(logger: shared.logger))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configure(channel, shared: shared, batch: loopBatches[ObjectIdentifier(channel.eventLoop)]!.value)
                }
            }
        do {
            let bound = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            channel.withLock { $0 = bound }
            return bound.localAddress?.port ?? configuration.port
        } catch let error as IOError {
            throw ReceiverError(
                description:
                    "cannot listen on \(configuration.host):\(configuration.port): \(String(cString: strerror(error.errnoCode)).lowercased())"
            )
        } catch {
            throw ReceiverError(description: "cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
    }

    /// Sets up one connection's pipeline: what the listening socket does for every connection,
    /// and what tests do on an `EmbeddedChannel` to drive the same handlers in memory.
    ///
    /// Only NIO's request decoder (behind a view of each read's first bytes, which names an
    /// unknown method): ReceiverHandler writes its answers as bytes, keeps pipelined answers in
    /// order and times out idle connections itself. NIO's encoder, pipelining, error, validation
    /// and idle handlers each wrap every write and together took over a third of ingest time.
    static func configure(_ channel: Channel, shared: ReceiverContext, batch: ReplyBatch) throws {
        let ops = channel.pipeline.syncOperations
        let sniffer = RequestStartSniffer()
        try ops.addHandler(sniffer)
        try ops.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
        try ops.addHandler(ReceiverHandler(shared: shared, batch: batch, sniffer: sniffer))
    }

    /// Stops accepting, closes every connection and the event loops.
    public func stop() async {
        let bound = channel.withLock { c -> Channel? in
            defer { c = nil }
            return c
        }
        try? await bound?.close()
        try? await group.shutdownGracefully()
    }
}
