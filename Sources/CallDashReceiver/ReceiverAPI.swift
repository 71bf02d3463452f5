import CallDashCore
import NIOCore
import NIOHTTP1

/// The `/_calldash/` endpoints: health, reports, stream and metrics. Each request becomes an
/// `APIResponse` value; the connection's handler writes it.
struct ReceiverAPI {
    let shared: ReceiverContext

    static let maxLimit = 10_000

    /// One silent MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz): a recording a player accepts.
    static let silentFrame: [UInt8] = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 413)
    static let defaultLimit = 1_000

    func handle(_ head: HTTPRequestHead, path: String, rawQuery: String?, on loop: EventLoop, allocator: ByteBufferAllocator) -> APIResponse
    {
        shared.metrics.apiRequest()
        if let problem = shared.hostProblem(head.headers) { return .error(status: 403, reason: problem) }
        // The demo's recordings are fixed bytes, opened from a browser that has no token.
        let isDemoRecording =
            shared.configuration.demoRecordings && path.hasPrefix(ReceiverConfiguration.demoRecordingsPath + "/") && path.hasSuffix(".mp3")
        if path != "/_calldash/health", !isDemoRecording, let problem = shared.authorizationProblem(head.headers) {
            return .error(status: 401, reason: problem)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return .error(status: 405, reason: "\(path) answers GET only")
        }
        let params: [NameValue]
        do throws(Rejection) {
            params = try FormURLEncoding.decode(rawQuery ?? "", what: "query string")
        } catch {
            return .error(status: 400, reason: error.reason)
        }
        if isDemoRecording {
            var body = allocator.buffer(capacity: Self.silentFrame.count)
            body.writeBytes(Self.silentFrame)
            return .bytes(status: 200, contentType: "audio/mpeg", body: body)
        }
        switch path {
        case "/_calldash/health":
            let c = shared.recorder.store.counts
            let stored = c.storedByStatus.reduce(0, +) + c.storedDuplicates
            var w = JSONWriter(capacity: 160)
            w.raw(
                "{\"status\":\"ok\",\"received\":\(c.received),\"accepted\":\(c.accepted),\"rejected\":\(c.rejected),\"stored\":\(stored)")
            if let problem = shared.recorder.journalProblem {
                w.raw(",\"journal_problem\":")
                w.string(problem)
            }
            w.raw("}")
            return .json(String(decoding: w.bytes, as: UTF8.self), allocator: allocator)
        case "/_calldash/reports":
            do throws(Rejection) {
                return try reports(params, on: loop, allocator: allocator)
            } catch {
                return .error(status: error.status, reason: error.reason)
            }
        case "/_calldash/stats":
            return stats(params, on: loop, allocator: allocator)
        case "/_calldash/stream":
            let lastEventID = head.headers.first(name: "last-event-id").flatMap { UInt64($0) }
            let after = params.last { $0.name == "after" }.flatMap { UInt64($0.value) } ?? lastEventID
            return .stream(after: after)
        case "/_calldash/metrics":
            let store = shared.recorder.store
            let text = shared.metrics.prometheusText(
                store: store.counts, storedCount: store.snapshot().count, journalBytes: shared.recorder.journal?.size,
                forwards: shared.recorder.forwards.counts)
            var body = allocator.buffer(capacity: text.utf8.count)
            body.writeString(text)
            return .bytes(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
        case _ where path.hasPrefix(Self.recordPath):
            return record(String(path.dropFirst(Self.recordPath.count)), on: loop, allocator: allocator)
        default:
            return .error(
                status: 404,
                reason: "no endpoint \(path) (there are /_calldash/health, /reports, /reports/SEQ, /stats, /stream and /metrics)")
        }
    }

    /// `GET /_calldash/stats`: the campaign figures of what is held, computed off the event loop.
    private func stats(_ params: [NameValue], on loop: EventLoop, allocator: ByteBufferAllocator) -> APIResponse {
        let query: StatsQuery
        do throws(StatsQueryError) {
            query = try StatsQuery(parameters: params.map { ($0.name, $0.value) })
        } catch {
            return .error(status: 400, reason: error.description)
        }
        let shared = shared
        let admitted = shared.statsWaiting.withLock { n in
            guard n < ReceiverContext.maxStatsWaiting else { return false }
            n += 1
            return true
        }
        guard admitted else {
            return .error(status: 503, reason: "statistics are being computed for other requests; ask again in a moment")
        }
        let promise = loop.makePromise(of: APIResponse.self)
        shared.statsWork.async {
            defer { shared.statsWaiting.withLock { $0 -= 1 } }
            do throws(StatsQueryError) {
                let json = try CampaignStats.compute(shared.recorder.store.snapshot(), query, now: .now(), cache: shared.statsCache).json()
                var body = allocator.buffer(capacity: json.count + 1)
                body.writeBytes(json)
                body.writeString("\n")
                promise.succeed(.bytes(status: 200, contentType: "application/json", body: body))
            } catch {
                promise.succeed(.error(status: 400, reason: error.description))
            }
        }
        return .later(promise.futureResult)
    }

    static let recordPath = "/_calldash/reports/"

    /// `GET /_calldash/reports/SEQ`: one full record, read off the event loop (it may be in the
    /// journal only).
    private func record(_ text: String, on loop: EventLoop, allocator: ByteBufferAllocator) -> APIResponse {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seq = UInt64(text) else {
            return .error(status: 400, reason: "\(Self.recordPath)SEQ needs a seq (a whole number), not \"\(text)\"")
        }
        let recorder = shared.recorder
        let logger = shared.logger
        let promise = loop.makePromise(of: APIResponse.self)
        shared.slowWork.async {
            switch recorder.record(seq: seq) {
            case .line(let line):
                var body = allocator.buffer(capacity: line.count + 1)
                body.writeBytes(line)
                body.writeString("\n")
                promise.succeed(.bytes(status: 200, contentType: "application/json", body: body))
            case .unreadable(let reason):
                logger.error("a record asked for cannot be read back", metadata: ["seq": "\(seq)"])
                promise.succeed(.error(status: 500, reason: reason))
            case .unknown(let reason):
                promise.succeed(.error(status: 404, reason: reason))
            }
        }
        return .later(promise.futureResult)
    }

    /// `GET /_calldash/reports`: the stored records in ascending seq, filtered and paged.
    private func reports(_ params: [NameValue], on loop: EventLoop, allocator: ByteBufferAllocator) throws(Rejection) -> APIResponse {
        var statuses: Set<String> = []
        var outcome: Outcome?
        var text: String?
        var after: UInt64 = 0
        var limit = Self.defaultLimit
        var fields: [ReportField: String] = [:]
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
                // A larger limit is capped, not refused: a client asking for "everything" gets a page.
                guard !p.value.isEmpty, p.value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), p.value.contains(where: { $0 != "0" }) else {
                    throw Rejection(400, "limit must be a whole number of at least 1")
                }
                limit = Int(p.value).map { min($0, Self.maxLimit) } ?? Self.maxLimit // any larger one is capped
            default:
                guard let field = ReportField(key: p.name) else {
                    throw Rejection(
                        400, "unknown parameter \(p.name) (use status, q, outcome, after, limit, or a standard field such as flow_id)")
                }
                fields[field] = p.value
            }
        }
        let query = ReportQuery(statuses: statuses, outcome: outcome, text: text, fields: fields)
        // Reading records back may read the journal: do it off the event loop, which keeps taking
        // deliveries meanwhile. Searches have a queue of their own, so they never hold up a page.
        let recorder = shared.recorder
        let logger = shared.logger
        let promise = loop.makePromise(of: APIResponse.self)
        (query.needsFullRecord ? shared.searchWork : shared.slowWork).async { [after, limit] in
            let found = recorder.lines(matching: query, after: after, limit: limit)
            var body = allocator.buffer(capacity: found.lines.reduce(4) { $0 + $1.count + 2 })
            body.writeString("[")
            for (k, line) in found.lines.enumerated() {
                if k > 0 { body.writeString(",\n") }
                body.writeBytes(line)
            }
            body.writeString("]\n")
            if !found.unreadable.isEmpty {
                logger.error(
                    "records that cannot be read back were left out of /_calldash/reports",
                    metadata: ["seqs": "\(found.unreadable.prefix(20))"])
            }
            promise.succeed(.bytes(status: 200, contentType: "application/json", body: body))
        }
        return .later(promise.futureResult)
    }
}
