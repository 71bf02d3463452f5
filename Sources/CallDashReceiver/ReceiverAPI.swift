import CallDashCore
import Dispatch
import NIOCore
import NIOHTTP1

/// The `/_calldash/` endpoints: health, reports, stream and metrics.
struct ReceiverAPI {
    let shared: ReceiverContext
    let handler: ReceiverHandler

    static let maxLimit = 10_000
    static let defaultLimit = 1_000

    func handle(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, path: String, rawQuery: String?) {
        shared.metrics.apiRequest()
        let keepAlive = head.isKeepAlive
        func fail(_ status: Int, _ reason: String) {
            handler.respondError(context, head, status: status, reason: reason, seq: nil, keepAlive: keepAlive)
        }
        if path != "/_calldash/health", let problem = shared.authorizationProblem(head.headers) {
            return fail(401, problem)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return fail(405, "\(path) answers GET only")
        }
        let params: [NameValue]
        do throws(Rejection) {
            params = try FormURLEncoding.decode(rawQuery ?? "", what: "query string")
        } catch {
            return fail(400, error.reason)
        }
        switch path {
        case "/_calldash/health":
            let c = shared.recorder.store.counts
            let stored = c.storedByStatus.reduce(0, +)
            json(context, head, "{\"status\":\"ok\",\"received\":\(c.received),\"accepted\":\(c.accepted),\"rejected\":\(c.rejected),\"stored\":\(stored)}")
        case "/_calldash/reports":
            do throws(Rejection) {
                try reports(context, head, params)
            } catch {
                fail(error.status, error.reason)
            }
        case "/_calldash/stream":
            let lastEventID = head.headers.first(name: "last-event-id").flatMap { UInt64($0) }
            let after = params.last { $0.name == "after" }.flatMap { UInt64($0.value) } ?? lastEventID
            handler.startStream(context, head, after: after)
        case "/_calldash/metrics":
            let store = shared.recorder.store
            let text = shared.metrics.prometheusText(
                store: store.counts, storedCount: store.snapshot().count,
                journalBytes: shared.recorder.journal?.size, subscribers: shared.recorder.subscriberCount)
            var body = context.channel.allocator.buffer(capacity: text.utf8.count)
            body.writeString(text)
            handler.respond(context, head, status: 200, body: body, contentType: "text/plain; version=0.0.4; charset=utf-8", keepAlive: keepAlive)
        default:
            fail(404, "no endpoint \(path) (there are /_calldash/health, /reports, /stream and /metrics)")
        }
    }

    /// `GET /_calldash/reports`: the stored records in ascending seq, filtered and paged.
    private func reports(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ params: [NameValue]) throws(Rejection) {
        var statuses: Set<String> = []
        var outcome: Outcome?
        var text: String?
        var after: UInt64 = 0
        var limit = Self.defaultLimit
        for p in params {
            switch p.name {
            case "status": statuses.insert(p.value)
            case "q": text = p.value
            case "outcome":
                guard let o = Outcome(rawValue: p.value) else { throw Rejection(400, "outcome must be accepted or rejected") }
                outcome = o
            case "after":
                guard let a = UInt64(p.value) else { throw Rejection(400, "after must be a seq (a whole number)") }
                after = a
            case "limit":
                guard let l = Int(p.value), (1...Self.maxLimit).contains(l) else {
                    throw Rejection(400, "limit must be a whole number from 1 to \(Self.maxLimit)")
                }
                limit = l
            default:
                throw Rejection(400, "unknown parameter \(p.name) (use status, q, outcome, after, limit)")
            }
        }
        let query = ReportQuery(statuses: statuses, outcome: outcome, text: text)
        // A text search may read the whole journal: do it off the event loop, which keeps
        // taking deliveries meanwhile, and answer on it when done.
        let recorder = shared.recorder
        let allocator = context.channel.allocator
        let loop = context.eventLoop
        let slot = handler.slot
        let bound = NIOLoopBound((handler, context), eventLoop: loop)
        DispatchQueue.global().async { [after, limit] in
            let result = Result { () throws(JournalError) in try recorder.lines(matching: query, after: after, limit: limit) }
            var body = allocator.buffer(capacity: 4096)
            if case .success(let lines) = result {
                body.writeString("[")
                for (k, line) in lines.enumerated() {
                    if k > 0 { body.writeString(",\n") }
                    body.writeBytes(line)
                }
                body.writeString("]\n")
            }
            loop.execute {
                let (handler, context) = bound.value
                switch result {
                case .success: handler.respond(context, head, status: 200, body: body, keepAlive: head.isKeepAlive, slot: slot)
                case .failure(let e): handler.respondError(context, head, status: 500, reason: e.description, seq: nil, keepAlive: head.isKeepAlive, slot: slot)
                }
            }
        }
    }

    private func json(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ text: String) {
        var body = context.channel.allocator.buffer(capacity: text.utf8.count)
        body.writeString(text)
        handler.respond(context, head, status: 200, body: body, keepAlive: head.isKeepAlive)
    }
}
