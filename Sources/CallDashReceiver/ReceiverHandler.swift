import CallDashCore
import DequeModule
import Logging
import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 requests: deliveries on any path, the `/_calldash/` API on its own.
///
/// The only handler after NIO's request decoder: it answers with bytes, keeps pipelined answers
/// in order and runs the timeouts itself (on the event loop's clock, so tests drive them), which
/// is what lets ingest keep up with a bare NIO server (README, "Benchmarks"). It reads no further
/// while an answer is being prepared or the peer is not taking answers in, so a client that
/// pipelines requests and never reads costs one answer of memory, not one per request.
final class ReceiverHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        case receiving(head: HTTPRequestHead, body: ByteBuffer?, bytes: Int)
        /// The body is over the limit: keep its first bytes for the record, then answer 413.
        case oversize(head: HTTPRequestHead, body: ByteBuffer?, bytes: Int, reason: String)
        /// Answered early (413, 408); the rest of the request is ignored and the connection closes.
        case discarding
        case streaming(EventStream)
    }

    private var state = State.idle
    /// When the current request must have arrived whole.
    private var deadline = NIODeadline.distantFuture
    /// When the peer last sent anything; the connection's watchdog closes silent ones.
    private var lastRead = NIODeadline.uptimeNanoseconds(0)
    /// One timer per connection (not per request) enforces both limits.
    private var watchdog: RepeatedTask?
    /// The peer as "ip:port", worked out once per connection.
    private var remote: String?
    private let shared: ReceiverContext
    private let batch: ReplyBatch
    private var responses = ResponseQueue()
    /// The answer slot of the request being read.
    private var slot = 0
    /// Set once an answer that closes the connection has been written.
    private var closing = false
    /// Request parts read while the handler waits (an API answer under way, or the peer not
    /// reading): handled in order once it may go on.
    private var parked: Deque<HTTPServerRequestPart> = []
    /// An API answer is being prepared off the event loop.
    private var answering = false
    /// The peer is not taking answers in fast enough (the channel is not writable), since when.
    private var backedUp = false
    private var backedUpSince = NIODeadline.distantFuture
    /// NIO asked to read while the handler waits; the read happens when it goes on.
    private var readHeld = false
    /// The peer sent its last byte (half-close); the connection closes once every answer is out.
    private var inputClosed = false
    /// An answer that closes the connection has been decided (it may wait for earlier ones).
    private var lastAnswerDecided = false

    /// The start of the latest read, for requests the decoder refuses (an unknown method).
    private let sniffer: RequestStartSniffer?

    init(shared: ReceiverContext, batch: ReplyBatch, sniffer: RequestStartSniffer? = nil) {
        self.shared = shared
        self.batch = batch
        self.sniffer = sniffer
    }

    private var waiting: Bool { answering || backedUp }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = context.eventLoop.now
        let part = unwrapInboundIn(data)
        if waiting || !parked.isEmpty {
            parked.append(part)
            return
        }
        handle(context, part)
    }

    private func handle(_ context: ChannelHandlerContext, _ part: HTTPServerRequestPart) {
        // A stream is the connection's last answer, and so is one that closes it: whatever the
        // client sends after either is neither recorded nor answered.
        if isStreaming || lastAnswerDecided { return }
        switch part {
        case .head(let head):
            begin(context, head)
        case .body(var chunk):
            switch state {
            case .receiving(let head, var body, let bytes):
                if lastRead > deadline { return timedOut(context) }
                let total = bytes + chunk.readableBytes
                let limit = shared.configuration.limits.maxBodyBytes
                state = .idle // drop the enum's reference so the buffer is appended in place
                if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
                if total > limit {
                    return rejectEarly(
                        context, head, body: body, status: 413,
                        reason: "body exceeds the \(limit)-byte limit (\(total) bytes received so far)")
                }
                state = .receiving(head: head, body: body, bytes: total)
            case .oversize(let head, var body, let bytes, let reason):
                if lastRead > deadline { return timedOut(context) }
                state = .idle
                let keep = min(chunk.readableBytes, max(0, Self.keptOfOversize - (body?.readableBytes ?? 0)))
                if var kept = chunk.readSlice(length: keep) {
                    if body == nil { body = kept } else { body!.writeBuffer(&kept) }
                }
                if (body?.readableBytes ?? 0) >= Self.keptOfOversize {
                    return rejectEarly(context, head, body: body, status: 413, reason: reason)
                }
                state = .oversize(head: head, body: body, bytes: bytes + keep, reason: reason)
            default:
                return
            }
        case .end:
            switch state {
            case .receiving(let head, let body, _):
                state = .idle
                finish(context, head, body)
            case .oversize(let head, let body, _, let reason):
                rejectEarly(context, head, body: body, status: 413, reason: reason)
                state = .idle
            case .discarding:
                state = .idle
            default:
                break
            }
        }
    }

    /// What a record keeps of a body that is over the limit, and how long it waits for it.
    static let keptOfOversize = 64 << 10
    static let oversizeWait = TimeAmount.milliseconds(250)

    private func begin(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        state = .receiving(head: head, body: nil, bytes: 0)
        slot = responses.reserve()
        deadline = lastRead + shared.configuration.requestTimeout
        let limit = shared.configuration.limits.maxBodyBytes
        let expectsContinue = head.headers.first(name: "expect")?.lowercased() == "100-continue"
        // A length too large for an Int is over any limit too.
        if let length = head.headers.first(name: "content-length"), !length.isEmpty, length.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            Int(length).map({ $0 > limit }) ?? true
        {
            let reason = "body of \(length) bytes exceeds the \(limit)-byte limit"
            // A client waiting for 100 Continue sends nothing more: answer now. Otherwise keep
            // the start of the body, so the record shows what was sent.
            if expectsContinue || Self.isAPI(Self.split(head.uri).0) {
                return rejectEarly(context, head, body: nil, status: 413, reason: reason)
            }
            state = .oversize(head: head, body: nil, bytes: 0, reason: reason)
            // A client that waits for an answer before sending more gets it soon anyway.
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: Self.oversizeWait) {
                let (handler, context) = bound.value
                if case .oversize(let head, let body, _, let reason) = handler.state {
                    handler.rejectEarly(context, head, body: body, status: 413, reason: reason)
                }
            }
            return
        }
        if expectsContinue {
            var interim = context.channel.allocator.buffer(capacity: 32)
            interim.writeString("HTTP/\(head.version.major).\(head.version.minor) 100 Continue\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
        }
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        switch state {
        case .receiving(let head, let body, _), .oversize(let head, let body, _, _):
            rejectEarly(context, head, body: body, status: 408, reason: "request body did not arrive within the time limit")
        default:
            break
        }
    }

    /// Answers before the request has fully arrived, records it as rejected with what did arrive, and closes.
    private func rejectEarly(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, body: ByteBuffer?, status: Int, reason: String) {
        state = .discarding
        let (path, rawQuery) = Self.split(head.uri)
        if Self.isAPI(path) {
            return respondError(context, head, status: status, reason: reason, seq: nil, keepAlive: false)
        }
        var record = baseRecord(context, head, path: path, body: body)
        record.query = (try? FormURLEncoding.decode(rawQuery ?? "", what: "query")) ?? []
        record.outcome = .rejected
        record.responseCode = status
        record.error = reason
        if shared.authorizationProblem(head.headers) != nil { record.raw = [] }
        reply(context, head, record, keepAlive: false)
    }

    // MARK: - Deliveries

    private func finish(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ body: ByteBuffer?) {
        let (path, rawQuery) = Self.split(head.uri)
        if Self.isAPI(path) {
            let api = ReceiverAPI(shared: shared)
            return answer(
                context, head, api.handle(head, path: path, rawQuery: rawQuery, on: context.eventLoop, allocator: context.channel.allocator)
            )
        }
        var record = baseRecord(context, head, path: path, body: body)
        do throws(Rejection) {
            if let problem = shared.authorizationProblem(head.headers) {
                // Headers and size only: a client without the token must not be able to fill the disk.
                record.raw = []
                throw Rejection(401, "\(problem) (\(body?.readableBytes ?? 0)-byte body not kept)")
            }
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
        reply(context, head, record, keepAlive: head.isKeepAlive)
    }

    /// Records the delivery and answers once its journal line is written: its own code, or 503
    /// when the journal could not take it (it is then kept as rejected, never as accepted).
    private func reply(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ record: DeliveryRecord, keepAlive: Bool) {
        let (accepted, code, reason, bytes) = (
            record.outcome == .accepted, record.responseCode, record.error ?? "rejected", record.raw.count
        )
        if !keepAlive { lastAnswerDecided = true }
        let started = NIODeadline.now()
        let recorded = shared.recorder.recordBuffered(record)
        let seq = recorded.record.seq
        let slot = self.slot
        // Only an answer from the app needs the record: every other reply holding a copy of it
        // costs a retain and a release of each of its texts.
        let forApp = accepted ? shared.configuration.appAnswer.map { ($0, recorded.record) } : nil
        batch.add(seq: seq) { [self] outcome in
            let took = (NIODeadline.now() - started).nanoseconds
            switch outcome {
            case .notJournaled(let why):
                shared.metrics.delivery(code: 503, bodyBytes: bytes, nanoseconds: took)
                shared.metrics.journalRefusedDelivery()
                respondError(context, head, status: 503, reason: why, seq: seq, keepAlive: keepAlive, slot: slot)
            case .journaled where accepted:
                if let (appAnswer, record) = forApp {
                    return answerFromApp(context, head, record, appAnswer, keepAlive: keepAlive, slot: slot, started: started)
                }
                shared.metrics.delivery(code: code, bodyBytes: bytes, nanoseconds: took)
                let answer = HTTPWire.accepted(
                    version: head.version, status: code, seq: seq, keepAlive: keepAlive, allocator: context.channel.allocator)
                deliver(context, slot, ResponseQueue.Response(bytes: answer, close: !keepAlive))
            case .journaled:
                shared.metrics.delivery(code: code, bodyBytes: bytes, nanoseconds: took)
                respondError(context, head, status: code, reason: reason, seq: seq, keepAlive: keepAlive, slot: slot)
            }
        }
    }

    /// Answers a journaled delivery with the user's app's answer (`--forward-reply`). Like an
    /// API answer being prepared, no further request is read meanwhile: a client pipelining
    /// deliveries waits for each answer, and holds one forward at a time.
    private func answerFromApp(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ record: DeliveryRecord,
        _ appAnswer: @escaping @Sendable (DeliveryRecord) async -> AppAnswer, keepAlive: Bool, slot: Int, started: NIODeadline
    ) {
        answering = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        Task {
            let answer = await appAnswer(record)
            loop.execute {
                let (handler, context) = bound.value
                handler.answering = false
                handler.shared.metrics.delivery(
                    code: answer.status, bodyBytes: record.raw.count, nanoseconds: (NIODeadline.now() - started).nanoseconds)
                handler.respond(
                    context, head, status: answer.status, body: context.channel.allocator.buffer(bytes: answer.body),
                    contentType: answer.contentType ?? "application/octet-stream", keepAlive: keepAlive, slot: slot)
                handler.goOn(context)
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

    /// Writes an API answer now, or once it has been prepared.
    private func answer(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ response: APIResponse) {
        switch response {
        case .bytes(let status, let contentType, let body):
            respond(context, head, status: status, body: body, contentType: contentType, keepAlive: head.isKeepAlive)
        case .error(let status, let reason):
            respondError(context, head, status: status, reason: reason, seq: nil, keepAlive: head.isKeepAlive)
        case .later(let future):
            answering = true
            let slot = self.slot
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            future.whenSuccess { response in
                let (handler, context) = bound.value
                handler.answering = false
                switch response {
                case .bytes(let status, let contentType, let body):
                    handler.respond(
                        context, head, status: status, body: body, contentType: contentType, keepAlive: head.isKeepAlive, slot: slot)
                case .error(let status, let reason):
                    handler.respondError(context, head, status: status, reason: reason, seq: nil, keepAlive: head.isKeepAlive, slot: slot)
                case .later, .stream:
                    preconditionFailure("an API answer prepared later is bytes or an error")
                }
                handler.goOn(context)
            }
        case .stream(let after):
            guard shared.openStream() else {
                return respondError(
                    context, head, status: 503, reason: "too many stream clients (at most \(ReceiverContext.maxStreams))", seq: nil,
                    keepAlive: head.isKeepAlive)
            }
            startStream(context, head, after: after)
        }
    }

    /// Answers the request in `slot` (the current one by default), in request order.
    private func respond(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, body: ByteBuffer,
        contentType: String = "application/json", keepAlive: Bool, slot: Int? = nil
    ) {
        if !keepAlive { lastAnswerDecided = true }
        let bytes = HTTPWire.response(
            version: head.version, status: status, contentType: contentType, body: head.method == .HEAD ? nil : body,
            keepAlive: keepAlive, allocator: context.channel.allocator)
        deliver(context, slot ?? self.slot, ResponseQueue.Response(bytes: bytes, close: !keepAlive))
    }

    private func respondError(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, reason: String, seq: UInt64?,
        keepAlive: Bool, slot: Int? = nil
    ) {
        respond(
            context, head, status: status, body: APIResponse.errorBody(reason, seq: seq, allocator: context.channel.allocator),
            keepAlive: keepAlive, slot: slot)
    }

    /// Writes every answer that is now due, and closes after one that says so.
    private func deliver(_ context: ChannelHandlerContext, _ slot: Int, _ response: ResponseQueue.Response) {
        guard !closing else { return }
        let ready = responses.fill(slot, response)
        guard !ready.isEmpty else { return }
        for r in ready {
            context.write(wrapOutboundOut(r.bytes), promise: nil)
            if r.close { return close(context) }
        }
        context.flush()
        if case .streaming(let stream) = state, !stream.helloWritten, responses.isEmpty {
            stream.helloWritten = true
            pump(context, stream)
        }
        if inputClosed, responses.isEmpty, parked.isEmpty, case .idle = state { close(context) }
    }

    private func close(_ context: ChannelHandlerContext) {
        closing = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Handles parked parts, and reads again, once nothing makes the connection wait.
    private func goOn(_ context: ChannelHandlerContext) {
        while !waiting, !closing, let part = parked.popFirst() { handle(context, part) }
        if !waiting, readHeld {
            readHeld = false
            context.read()
        }
        if inputClosed, !closing, responses.isEmpty, parked.isEmpty, case .idle = state { close(context) }
    }

    func read(context: ChannelHandlerContext) {
        if waiting, !isStreaming {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        backedUp = !context.channel.isWritable
        backedUpSince = backedUp ? context.eventLoop.now : .distantFuture
        if case .streaming(let stream) = state {
            if !backedUp { pump(context, stream) }
        } else if !backedUp {
            goOn(context)
        }
        context.fireChannelWritabilityChanged()
    }

    private var isStreaming: Bool {
        if case .streaming = state { return true }
        return false
    }

    // MARK: - Streaming (server-sent events)

    /// One `/_calldash/stream` connection: its bounded queue and where it stands.
    private final class EventStream {
        let feed: DeliveryFeed
        var subscription: Int?
        var heartbeat: RepeatedTask?
        /// The backlog of a resuming client is written before any live event.
        var backlogDone: Bool
        /// The stream's head is on the wire (it waits behind earlier pipelined answers).
        var helloWritten = false
        /// The seq of the last event written (what a client resumes from).
        var lastSent: UInt64

        init(feed: DeliveryFeed, backlogDone: Bool, lastSent: UInt64) {
            self.feed = feed
            self.backlogDone = backlogDone
            self.lastSent = lastSent
        }
    }

    /// Most events queued for one stream client before it counts as too slow and is cut off
    /// (with an `overflow` event naming the last seq it got, so it can resume).
    static let streamQueueLimit = 4096
    static let streamQueueBytes = 2 << 20

    /// Switches the connection to an event stream: the head now, then one event per delivery.
    private func startStream(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, after: UInt64?) {
        // The stream is the connection's last answer: no length, it ends when the connection does.
        var hello = HTTPWire.response(
            version: head.version, status: 200, contentType: "text/event-stream", body: nil, keepAlive: false,
            allocator: context.channel.allocator, extraHeaders: [("cache-control", "no-cache")])
        hello.writeString(": connected\n\n")
        deliver(context, slot, ResponseQueue.Response(bytes: hello, close: false))
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let feed = DeliveryFeed(maxDeliveries: Self.streamQueueLimit, maxBytes: Self.streamQueueBytes, whenFull: .stop, takesForwards: true)
        {
            loop.execute {
                let (handler, context) = bound.value
                if case .streaming(let stream) = handler.state { handler.pump(context, stream) }
            }
        }
        let recorder = shared.recorder
        let (id, through) = recorder.subscribe(feed)
        let stream = EventStream(feed: feed, backlogDone: after == nil, lastSent: after ?? through)
        stream.subscription = id
        stream.heartbeat = loop.scheduleRepeatedTask(initialDelay: .seconds(15), delay: .seconds(15)) { _ in
            let (handler, context) = bound.value
            guard handler.isStreaming, !handler.backedUp else { return }
            var ping = context.channel.allocator.buffer(capacity: 16)
            ping.writeString(": keep-alive\n\n")
            context.writeAndFlush(handler.wrapOutboundOut(ping), promise: nil)
        }
        state = .streaming(stream)
        stream.helloWritten = responses.isEmpty
        shared.metrics.streamOpened()
        guard let after else { return }
        // Read the backlog off the event loop and without the ingest lock; live events wait
        // in the feed meanwhile.
        shared.backlogWork.async {
            let backlog = recorder.backlog(after: after, through: through, limit: Self.streamBacklog)
            loop.execute {
                let (handler, context) = bound.value
                guard case .streaming(let stream) = handler.state else { return }
                var out = context.channel.allocator.buffer(capacity: 4096)
                if let resumesAt = backlog.resumesAt {
                    out.writeString(
                        "event: gap\ndata: {\"after\":\(after),\"next\":\(resumesAt),\"reports\":\"/_calldash/reports?after=\(after)\"}\n\n"
                    )
                }
                for seq in backlog.unreadable {
                    out.writeString("event: unreadable\ndata: {\"seq\":\(seq)}\n\n")
                }
                for r in backlog.deliveries { Self.writeEvent(r, into: &out) }
                stream.lastSent = through
                context.writeAndFlush(handler.wrapOutboundOut(out), promise: nil)
                stream.backlogDone = true
                handler.pump(context, stream)
            }
        }
    }

    /// Most backlog events sent to a resuming client; older ones are announced by a gap.
    static let streamBacklog = 1_000

    private static func writeEvent(_ r: FeedEntry, into out: inout ByteBuffer) {
        out.writeString("id: \(r.seq)\nevent: delivery\ndata: ")
        out.writeBytes(r.line)
        out.writeString("\n\n")
    }

    /// Writes queued events while the client takes them in; cuts off a client whose queue overflowed.
    private func pump(_ context: ChannelHandlerContext, _ stream: EventStream) {
        guard stream.backlogDone, stream.helloWritten, !closing else { return }
        var wrote = false
        while context.channel.isWritable {
            let batch = stream.feed.take(limit: 64)
            if !batch.deliveries.isEmpty {
                var out = context.channel.allocator.buffer(capacity: batch.deliveries.reduce(0) { $0 + $1.line.count + 48 })
                for r in batch.deliveries {
                    switch r.kind {
                    case .delivery:
                        guard r.seq > stream.lastSent else { continue }
                        Self.writeEvent(r, into: &out)
                        stream.lastSent = r.seq
                    case .forward:
                        // No id: it is about an earlier delivery, and must not move Last-Event-ID back.
                        out.writeString("event: forward\ndata: ")
                        out.writeBytes(r.line)
                        out.writeString("\n\n")
                    }
                }
                context.write(wrapOutboundOut(out), promise: nil)
                wrote = true
            }
            if batch.ended {
                var out = context.channel.allocator.buffer(capacity: 96)
                out.writeString(
                    "event: overflow\ndata: {\"last_seq\":\(stream.lastSent),\"reason\":\"this client fell more than \(Self.streamQueueLimit) events behind; reconnect with Last-Event-ID: \(stream.lastSent)\"}\n\n"
                )
                context.write(wrapOutboundOut(out), promise: nil)
                shared.metrics.streamDropped()
                return close(context)
            }
            if batch.deliveries.isEmpty { break }
        }
        if wrote { context.flush() }
    }

    // MARK: - Connection events

    func channelActive(context: ChannelHandlerContext) {
        lastRead = context.eventLoop.now
        let configuration = shared.configuration
        let period = TimeAmount.nanoseconds(
            min(max(min(configuration.idleTimeout, configuration.requestTimeout).nanoseconds / 4, 50_000_000), 5_000_000_000))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            let (handler, context) = bound.value
            handler.check(context)
        }
        context.fireChannelActive()
    }

    /// Closes a connection that has been silent too long; answers 408 to a request that is late.
    private func check(_ context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        switch state {
        case .idle:
            if now - lastRead > shared.configuration.idleTimeout, !answering, parked.isEmpty { context.close(promise: nil) }
        case .receiving, .oversize:
            if now > deadline || now - lastRead > shared.configuration.idleTimeout { timedOut(context) }
        case .discarding:
            if now - backedUpSince > shared.configuration.idleTimeout { context.close(promise: nil) }
        case .streaming:
            // A stream client that takes nothing in is gone or stuck: free what it holds.
            if now - backedUpSince > min(shared.configuration.streamStall, shared.configuration.idleTimeout) {
                shared.metrics.streamDropped()
                context.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watchdog?.cancel()
        if case .streaming(let stream) = state {
            stream.heartbeat?.cancel()
            if let id = stream.subscription { shared.recorder.unsubscribe(id) }
            shared.metrics.streamClosed()
            shared.closeStream()
        }
        state = .idle
        parked.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The client half-closed after its requests: answer them, then close.
            inputClosed = true
            // A stream client that stops sending is gone (it has nothing to wait for).
            if isStreaming { return context.close(promise: nil) }
            if !closing, responses.isEmpty, parked.isEmpty, !answering, case .idle = state { close(context) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        shared.logger.debug("connection error", metadata: ["error": "\(error)"])
        guard let parserError = error as? HTTPParserError else { return context.close(promise: nil) }
        switch state {
        case .receiving(let head, let body, _), .oversize(let head, let body, _, _):
            // The head was fine but the body is not HTTP (a malformed chunk): record what came.
            rejectEarly(context, head, body: body, status: 400, reason: "malformed request body (\(Self.describe(parserError)))")
        case .idle where parserError == .invalidMethod && sniffer?.methodToken != nil:
            let method = sniffer?.methodToken ?? ""
            var record = DeliveryRecord(receivedAt: .now(), method: method, path: "", remote: remoteDescription(context))
            record.outcome = .rejected
            record.responseCode = 405
            record.error = "method \(method) is not a delivery (use GET, POST, PUT or PATCH)"
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
            slot = responses.reserve()
            state = .discarding
            reply(context, head, record, keepAlive: false)
        case .idle:
            // Not HTTP at all: say so and hang up (nothing parseable to record).
            let body = APIResponse.errorBody(
                "malformed HTTP request (\(Self.describe(parserError)))", seq: nil, allocator: context.channel.allocator)
            let bytes = HTTPWire.response(
                version: .http1_1, status: 400, contentType: "application/json", body: body,
                keepAlive: false, allocator: context.channel.allocator)
            deliver(context, responses.reserve(), ResponseQueue.Response(bytes: bytes, close: true))
        case .discarding, .streaming:
            context.close(promise: nil)
        }
    }

    private static func describe(_ e: HTTPParserError) -> String {
        switch e {
        case .invalidChunkSize: "invalid chunk size"
        case .invalidContentLength, .unexpectedContentLength: "invalid content-length"
        case .headerOverflow: "headers too large"
        case .invalidMethod: "unknown method"
        case .invalidVersion: "unknown HTTP version"
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment: "invalid request target"
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant: "invalid characters"
        default: "\(e)"
        }
    }

    // MARK: - Helpers

    static func isAPI(_ path: String) -> Bool {
        path == "/_calldash" || path.hasPrefix("/_calldash/")
    }

    /// Splits a request target into its path and raw query string.
    static func split(_ uri: String) -> (String, String?) {
        let (path, query) = uri.splitAtQuery()
        return (String(path), query.map(String.init))
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
