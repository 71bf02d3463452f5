import ArgumentParser
import NIOCore
import NIOHTTP1
import NIOPosix

/// The baseline for ingest: a bare SwiftNIO HTTP/1.1 server that reads the body and answers 200.
struct ReferenceServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-server", abstract: "Run the minimal NIO server that ingest is compared with.")

    @Option var host = "127.0.0.1"
    @Option var port = 8090
    @Option var threads = 1
    @Flag(help: "Answer with prepared response bytes behind the request decoder alone, instead of through NIO's response encoder.")
    var prepared = false

    func run() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if prepared {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                        try channel.pipeline.syncOperations.addHandler(PreparedOKHandler())
                    } else {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(OKHandler())
                    }
                }
            }
            .bind(host: host, port: port).wait()
        print("reference server listening on \(channel.localAddress!)")
        try channel.closeFuture.wait()
    }
}

private final class OKHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head, .body:
            break // the decoder has read them; the pipeline handler keeps the connection's state
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: "11")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{\"ok\":true}")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// The same answer as bytes prepared once: the least an HTTP/1.1 server can do per request for
/// keep-alive clients such as wrk (it answers nothing else correctly: no HTTP/1.0, no close).
private final class PreparedOKHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private static let answer = ByteBuffer(
        string: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}")

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { context.writeAndFlush(wrapOutboundOut(Self.answer), promise: nil) }
    }
}
