import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A TLS reverse proxy on 127.0.0.1 in front of a plain receiver, as the README's set-up puts
/// one in front of `serve`, with the self-signed certificate in `TLS/` (for 127.0.0.1 and
/// localhost) that a client trusts through `SSL_CERT_FILE`.
final class TLSProxy {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("TLS").path
    static let certificateFile = folder + "/tls-cert.pem"

    let port: Int
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let server: Channel

    init(to backend: Int) throws {
        let chain = try NIOSSLCertificate.fromPEMFile(Self.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: Self.folder + "/tls-key.pem", format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        server = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Nothing is read from the client before the receiver is connected.
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { client in
                client.eventLoop.makeCompletedFuture {
                    try client.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }.flatMap {
                    ClientBootstrap(group: client.eventLoop).connect(host: "127.0.0.1", port: backend)
                }.flatMapThrowing { receiver in
                    let (a, b) = Relay.pair()
                    try client.pipeline.syncOperations.addHandler(a)
                    try receiver.pipeline.syncOperations.addHandler(b)
                    client.setOption(.autoRead, value: true).whenComplete { _ in }
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = server.localAddress?.port ?? 0
    }

    func stop() {
        try? server.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// One end of a pair that passes what its channel reads to the other's (both on one event
/// loop), and closes the other when its own closes.
private final class Relay: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: Relay?
    private var context: ChannelHandlerContext?

    static func pair() -> (Relay, Relay) {
        let (a, b) = (Relay(), Relay())
        a.partner = b
        b.partner = a
        return (a, b)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.context?.write(data, promise: nil) }

    func channelReadComplete(context: ChannelHandlerContext) { partner?.context?.flush() }

    func channelInactive(context: ChannelHandlerContext) { partner?.context?.close(promise: nil) }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
