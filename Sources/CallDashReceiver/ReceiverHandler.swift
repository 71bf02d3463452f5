import CallDashCore
import Logging
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// One connection's HTTP/1.1 requests: deliveries on any path, the `/_calldash/` API on its own.
///
/// The only handler after NIO's request decoder: it answers with bytes, keeps pipelined answers
/// in order and runs the timeouts itself, which is what lets ingest keep up with a bare NIO
/// server (README, "Benchmarks").
final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        case receiving(head: HTTPRequestHead, body: ByteBuffer?, bytes: Int)
        /// Answered early (413, 408); the rest of the request is ignored and the connection closes.
        case discarding
        case streaming(subscription: Int, heartbeat: RepeatedTask)
    }

    private var state = State.idle
    /// When the current request must have arrived whole.
    private var deadline = NIODeadline.distantFuture
    /// When the peer last sent anything; the connection's watchdog closes silent ones.
    private var lastRead = NIODeadline.now()
    /// One timer per connection (not per request) enforces both limits.
    private var watchdog: RepeatedTask?
    /// The peer as "ip:port", worked out once per connection.
    private var remote: String?
    private let shared: ReceiverContext
    private let batch: ReplyBatch
    private var responses = ResponseQueue()
    /// The answer slot of the request being read.
    private(set) var slot = 0
    /// Set once an answer that closes the connection has been written.
    private var closing = false

    init(shared: ReceiverContext, batch: ReplyBatch) {
        self.shared = shared
        self.batch = batch
    }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            begin(context, head)
        case .body(var chunk):
            guard case .receiving(let head, var body, let bytes) = state else { return }
            if lastRead > deadline { return timedOut(context) }
            let total = bytes + chunk.readableBytes
            if total > shared.configuration.limits.maxBodyBytes {
                rejectEarly(context, head, body: body, status: 413,
                            reason: "body exceeds the \(shared.configuration.limits.maxBodyBytes)-byte limit (\(total) bytes received so far)")
                return
            }
            state = .idle // drop the enum's reference so the buffer is appended in place
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            state = .receiving(head: head, body: body, bytes: total)
        case .end:
            switch state {
            case let .receiving(head, body, _):
                state = .idle
                finish(context, head, body)
            case .discarding:
                state = .idle
            default:
                break
            }
        }
    }

    private func begin(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        state = .receiving(head: head, body: nil, bytes: 0)
        slot = responses.reserve()
        let limit = shared.configuration.limits.maxBodyBytes
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
            rejectEarly(context, head, body: nil, status: 413,
                        reason: "body of \(length) bytes exceeds the \(limit)-byte limit")
            return
        }
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            var interim = context.channel.allocator.buffer(capacity: 32)
            interim.writeString("HTTP/\(head.version.major).\(head.version.minor) 100 Continue\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
        }
        deadline = lastRead + shared.configuration.requestTimeout
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        guard case let .receiving(head, body, _) = state else { return }
        rejectEarly(context, head, body: body, status: 408, reason: "request body did not arrive within the time limit")
    }

    /// Answers before the request has fully arrived, records it as rejected with what did arrive, and closes.
    private func rejectEarly(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, body: ByteBuffer?, status: Int, reason: String) {
        state = .discarding
        let (path, rawQuery) = Self.split(head.uri)
        if Self.isAPI(path) {
            respondError(context, head, status: status, reason: reason, seq: nil, keepAlive: false)
            return
        }
        var record = baseRecord(context, head, path: path, body: body)
        record.query = (try? FormURLEncoding.decode(rawQuery ?? "", what: "query")) ?? []
        record.outcome = .rejected
        record.responseCode = status
        record.error = reason
        let seq = try? shared.recorder.record(record).record.seq
        shared.metrics.delivery(code: status, bodyBytes: body?.readableBytes ?? 0)
        respondError(context, head, status: status, reason: reason, seq: seq, keepAlive: false)
    }

    // MARK: - Deliveries

    private func finish(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ body: ByteBuffer?) {
        let (path, rawQuery) = Self.split(head.uri)
        if Self.isAPI(path) {
            ReceiverAPI(shared: shared, handler: self).handle(context, head, path: path, rawQuery: rawQuery)
            return
        }
        var record = baseRecord(context, head, path: path, body: body)
        do throws(Rejection) {
            switch head.method {
            case .GET, .POST, .PUT, .PATCH: break
            default:
                throw Rejection(405, "method \(head.method.rawValue) is not a delivery (use GET, POST, PUT or PATCH)")
            }
            if let rawQuery {
                do throws(Rejection) {
                    record.query = try FormURLEncoding.decode(rawQuery, what: "query string")
                } catch {
                    record.path = head.uri // keep the undecodable query visible
                    throw error
                }
            }
            if let problem = shared.authorizationProblem(head.headers) { throw Rejection(401, problem) }
            let parsed = try shared.parser.parse(path: record.path, query: record.query, contentType: record.contentType, body: record.raw)
            record.fields = parsed.fields
            record.extra = parsed.extra
            record.webhook = parsed.webhook
            record.responseCode = shared.configuration.respondCode
        } catch {
            record.outcome = .rejected
            record.responseCode = error.status
            record.error = error.reason
        }
        shared.metrics.delivery(code: record.responseCode, bodyBytes: record.raw.count)
        let (accepted, code, reason) = (record.outcome == .accepted, record.responseCode, record.error ?? "rejected")
        let recorded = shared.recorder.recordBuffered(record)
        let seq = recorded.record.seq
        let slot = self.slot
        batch.add(journalEnd: recorded.journalEnd) { [self] journaled in
            guard journaled else {
                shared.logger.error("journal write failed", metadata: ["seq": "\(seq)"])
                return respondError(context, head, status: 503, reason: "could not write the delivery to the journal", seq: seq, keepAlive: head.isKeepAlive, slot: slot)
            }
            if accepted {
                var body = context.channel.allocator.buffer(capacity: 32)
                body.writeString("{\"ok\":true,\"seq\":")
                body.writeString(String(seq))
                body.writeString("}")
                respond(context, head, status: code, body: body, keepAlive: head.isKeepAlive, slot: slot)
            } else {
                respondError(context, head, status: code, reason: reason, seq: seq, keepAlive: head.isKeepAlive, slot: slot)
            }
        }
    }

    private func baseRecord(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, path: String, body: ByteBuffer?) -> DeliveryRecord {
        DeliveryRecord(
            receivedAt: .now(), method: head.method.rawValue, path: path,
            headers: head.headers.map { NameValue($0.name, $0.value) },
            remote: remoteDescription(context),
            contentType: head.headers.first(name: "content-type"),
            raw: body.map { Array($0.readableBytesView) } ?? [])
    }

    // MARK: - Answering

    /// Answers the request in `slot` (the current one by default), in request order.
    func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, body: ByteBuffer,
                 contentType: String = "application/json", keepAlive: Bool, slot: Int? = nil) {
        let bytes = HTTPWire.response(
            version: head.version, status: status, contentType: contentType, body: head.method == .HEAD ? nil : body,
            keepAlive: keepAlive, allocator: context.channel.allocator,
            extraHeaders: status == 401 ? [("www-authenticate", "Bearer")] : [])
        deliver(context, slot ?? self.slot, ResponseQueue.Response(bytes: bytes, close: !keepAlive))
    }

    func respondError(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, reason: String, seq: UInt64?,
                      keepAlive: Bool, slot: Int? = nil) {
        var w = JSONWriter(capacity: 64 + reason.utf8.count)
        w.raw("{\"ok\":false,\"error\":")
        w.string(reason)
        if let seq { w.raw(",\"seq\":"); w.int(seq) }
        w.raw("}")
        var body = context.channel.allocator.buffer(capacity: w.count)
        body.writeBytes(w.bytes)
        respond(context, head, status: status, body: body, keepAlive: keepAlive, slot: slot)
    }

    /// Writes every answer that is now due, and closes after one that says so.
    private func deliver(_ context: ChannelHandlerContext, _ slot: Int, _ response: ResponseQueue.Response) {
        guard !closing else { return }
        let ready = responses.fill(slot, response)
        guard !ready.isEmpty else { return }
        for r in ready {
            context.write(wrapOutboundOut(r.bytes), promise: nil)
            if r.close {
                closing = true
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in channel.close(promise: nil) }
                return
            }
        }
        context.flush()
    }

    // MARK: - Streaming (server-sent events)

    /// Switches the connection to an event stream: the head now, then one event per delivery.
    func startStream(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, after: UInt64?) {
        // The stream is the connection's last answer: no length, it ends when the connection does.
        var hello = HTTPWire.response(
            version: head.version, status: 200, contentType: "text/event-stream", body: nil, keepAlive: false,
            allocator: context.channel.allocator, extraHeaders: [("cache-control", "no-cache")])
        hello.writeString(": connected\n\n")
        let channel = context.channel
        deliver(context, slot, ResponseQueue.Response(bytes: hello, close: false))
        let id = shared.recorder.subscribe(after: after) { recorded in
            guard channel.isWritable else {
                // A reader this far behind reconnects with Last-Event-ID rather than stall us.
                channel.close(promise: nil)
                return
            }
            var event = channel.allocator.buffer(capacity: recorded.line.count + 48)
            event.writeString("id: \(recorded.record.seq)\nevent: delivery\ndata: ")
            event.writeBytes(recorded.line)
            event.writeString("\n\n")
            channel.writeAndFlush(event, promise: nil)
        }
        let heartbeat = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(15), delay: .seconds(15)) { _ in
            var ping = channel.allocator.buffer(capacity: 16)
            ping.writeString(": keep-alive\n\n")
            channel.writeAndFlush(ping, promise: nil)
        }
        state = .streaming(subscription: id, heartbeat: heartbeat)
    }

    // MARK: - Connection events

    func channelActive(context: ChannelHandlerContext) {
        let configuration = shared.configuration
        let period = TimeAmount.nanoseconds(
            min(max(min(configuration.idleTimeout, configuration.requestTimeout).nanoseconds / 4, 50_000_000), 5_000_000_000))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            handler.value.check(ctx.value)
        }
        context.fireChannelActive()
    }

    /// Closes a connection that has been silent too long; answers 408 to a request that is late.
    private func check(_ context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        switch state {
        case .idle:
            if now - lastRead > shared.configuration.idleTimeout { context.close(promise: nil) }
        case .receiving:
            if now > deadline || now - lastRead > shared.configuration.idleTimeout { timedOut(context) }
        case .discarding, .streaming:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watchdog?.cancel()
        if case let .streaming(id, heartbeat) = state {
            heartbeat.cancel()
            shared.recorder.unsubscribe(id)
        }
        state = .idle
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        shared.logger.debug("connection error", metadata: ["error": "\(error)"])
        if error is HTTPParserError, case .idle = state {
            // Not HTTP at all: say so and hang up (nothing parseable to record).
            var body = context.channel.allocator.buffer(capacity: 64)
            body.writeString("{\"ok\":false,\"error\":\"malformed HTTP request\"}")
            let bytes = HTTPWire.response(version: .http1_1, status: 400, contentType: "application/json", body: body,
                                          keepAlive: false, allocator: context.channel.allocator)
            deliver(context, responses.reserve(), ResponseQueue.Response(bytes: bytes, close: true))
            return
        }
        context.close(promise: nil)
    }

    // MARK: - Helpers

    static func isAPI(_ path: String) -> Bool {
        path == "/_calldash" || path.hasPrefix("/_calldash/")
    }

    /// Splits a request target into its path and raw query string.
    static func split(_ uri: String) -> (String, String?) {
        guard let q = uri.firstIndex(of: "?") else { return (uri, nil) }
        return (String(uri[..<q]), String(uri[uri.index(after: q)...]))
    }

    private func remoteDescription(_ context: ChannelHandlerContext) -> String {
        if let remote { return remote }
        let r = Self.describe(context.channel.remoteAddress)
        remote = r
        return r
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return address?.description ?? "" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
