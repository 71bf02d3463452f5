import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore
import Synchronization

/// Sends every accepted delivery on to the user's own app (`--forward-to`), in the background,
/// as `Resend` builds it, with the provider's rule (200 or 202) and a doubling backoff; each
/// attempt is recorded (a journal line, the record's `forward`, a stream event).
///
/// The receiver never waits for it: deliveries reach it through a bounded queue like any
/// subscriber's, and when the app is so slow that the queue is full, the newest are not
/// forwarded, counted and said once per episode. At most `concurrency` requests are in flight.
/// Forwarding runs on threads of its own, at the lowest CPU priority once started: on a busy
/// machine it waits for the time ingest of the provider's next reports leaves.
public final class Forwarder: Sendable {
    public struct Settings: Sendable {
        public var url: String
        public var attempts: Int
        /// How long one attempt may take, from connecting to the end of the reply.
        public var timeout: Duration
        public var initialBackoff: Duration
        public var concurrency: Int
        /// Deliveries waiting to be forwarded, at most.
        public var queueLimit: Int

        public init(
            url: String, attempts: Int = 3, timeout: Duration = .seconds(10), initialBackoff: Duration = .milliseconds(500),
            concurrency: Int = 8, queueLimit: Int = 10_000
        ) {
            self.url = url
            self.attempts = max(1, attempts)
            self.timeout = timeout
            self.initialBackoff = initialBackoff
            self.concurrency = max(1, concurrency)
            self.queueLimit = max(1, queueLimit)
        }
    }

    public let settings: Settings
    private let recorder: Recorder
    private let client: HTTPClient
    /// Its own threads, one per core (a `--forward-reply` proxy has one request under way per
    /// provider request): niced once started in the background.
    private let loop = BackgroundLoop(threads: System.coreCount)
    private let report: @Sendable (String) -> Void
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let running = Mutex<(task: Task<Void, Never>?, subscription: Int?, feed: DeliveryFeed?)>((nil, nil, nil))
    /// This receiver's mark in `CallDash-Forwarded-By`: a delivery that carries it came back
    /// through its own forwarding (to itself, or round another receiver) and is not sent again.
    let mark = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    static let forwardedByHeader = "calldash-forwarded-by"
    /// Receivers a delivery may pass through, forwarded from one to the next, at most.
    static let maxHops = 8
    /// The deliveries being forwarded (each with its attempts and backoffs) and where to; once
    /// stopped, the ones cut short, which the journal then marks pending.
    private let underWay = Mutex<[UInt64: String]>([:])
    /// Set by `stop`: an attempt cut short by the client's shutdown is no answer of the app's,
    /// and is not recorded (a `--forward-reply` answer is not a task `stop` can cancel).
    private let stopping = Atomic<Bool>(false)
    /// Deliveries the app has not taken since it last took one, and the first of them.
    private let notTaken = Mutex<(count: Int, firstSeq: UInt64)>((0, 0))

    /// `report` hears, once per episode, that the queue is full (and how many were not
    /// forwarded), and that the app stopped taking deliveries (and when it takes them again).
    public init(_ settings: Settings, recorder: Recorder, report: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.recorder = recorder
        self.report = report
        var configuration = Clients.configuration()
        configuration.timeout = .init(connect: .seconds(Clients.connectSeconds), read: TimeAmount(settings.timeout))
        // --forward-reply has one request under way per provider request: more connections than
        // the default 8, so that none waits in the pool until it times out.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        client = HTTPClient(eventLoopGroupProvider: .shared(loop.group), configuration: configuration)
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A forwarder dropped without `stop` (its owner failed on the way) still closes its
    /// connections; shutting down keeps the client alive until it is done.
    deinit {
        client.shutdown { [loop] _ in loop.shutdownSoon() }
    }

    /// Subscribes to the recorder and forwards every delivery recorded from now on, after the
    /// ones the last run stopped before forwarding (pending in the journal, still held).
    public func start() {
        let feed = DeliveryFeed(maxDeliveries: settings.queueLimit, maxBytes: 256 << 20, whenFull: .dropNewest) { [wake] in
            wake.yield()
        }
        let subscription = recorder.subscribe(feed).id
        // Background forwarding gives way to ingest; `--forward-reply` (no `start`) keeps the
        // thread at the receiver's priority, since the provider waits for it.
        loop.lowerPriority()
        let pending = recorder.forwards.pending
        if let first = pending.first, let last = pending.last {
            report(
                "forwarding first the \(pending.count == 1 ? "delivery" : "\(pending.count) deliveries") (seq \(first)\(first == last ? "" : "–\(last)")) calldash stopped before forwarding"
            )
        }
        let task = Task(executorPreference: loop) { await self.run(feed, resuming: pending) }
        running.withLock { $0 = (task, subscription, feed) }
    }

    /// Stops taking deliveries, cancels the attempts under way (their outcome is not recorded)
    /// and closes the connections.
    public func stop() async {
        let (task, subscription, feed) = running.withLock { r in
            defer { r = (nil, nil, nil) }
            return r
        }
        stopping.store(true, ordering: .releasing)
        if let subscription { recorder.unsubscribe(subscription) }
        wake.finish()
        task?.cancel()
        await task?.value
        if let feed { markPending(feed) }
        try? await client.shutdown()
        await loop.shutdown()
    }

    /// Journals the deliveries not yet taken by the app (waiting, or between attempts) as
    /// pending, for the next start to forward, and those the full queue dropped since its last
    /// take as not forwarded.
    private func markPending(_ feed: DeliveryFeed) {
        var seqs = underWay.withLock { $0 }
        let left = feed.take()
        for entry in left.deliveries where entry.kind == .delivery {
            if let record = try? DeliveryRecord(json: entry.line), record.outcome == .accepted { seqs[record.seq] = url(of: record) }
        }
        recordDropped(left)
        guard !seqs.isEmpty else { return }
        for (seq, url) in seqs.sorted(by: { $0.key < $1.key }) {
            recorder.recordForward(.notMade(seq...seq, url: url, why: ForwardAttempt.stoppedFirst, pending: true), final: true)
        }
        report(
            "stopping with \(seqs.count == 1 ? "1 delivery" : "\(seqs.count) deliveries") not yet taken by \(settings.url) (waiting, or between attempts): the next start with --forward-to forwards them"
        )
    }

    /// Counts and journals the deliveries the full queue dropped before `batch` was taken (one
    /// line for their run); returns their seqs, if any.
    @discardableResult
    private func recordDropped(_ batch: DeliveryFeed.Batch) -> ClosedRange<UInt64>? {
        guard batch.dropped > 0, let seqs = batch.droppedSeqs else { return nil }
        recorder.forwards.noteDropped(batch.dropped)
        recorder.recordForward(.notMade(seqs, url: settings.url, why: ForwardAttempt.queueFull(limit: settings.queueLimit)), final: true)
        return seqs
    }

    private func run(_ feed: DeliveryFeed, resuming pending: [UInt64]) async {
        var droppedInEpisode: UInt64 = 0
        var resume = pending[...]
        var unreadable = 0 // pending seqs whose record cannot be read back: said once
        if !resume.isEmpty { wake.yield() }
        await withDiscardingTaskGroup { group in
            // Woken by the feed (deliveries waiting, or dropped) and by every forward that ends.
            for await _ in wakes {
                while !Task.isCancelled {
                    var free = settings.concurrency - underWay.withLock(\.count)
                    while free > 0, let seq = resume.popFirst() {
                        guard case .line(let line) = recorder.record(seq: seq), let record = try? DeliveryRecord(json: line) else {
                            unreadable += 1
                            continue
                        }
                        begin(record, in: &group)
                        free -= 1
                    }
                    if resume.isEmpty, unreadable > 0 {
                        report("\(unreadable) of the pending deliveries cannot be read back from the journal, and are not forwarded")
                        unreadable = 0
                    }
                    let batch = feed.take(limit: max(0, free))
                    if let seqs = recordDropped(batch) {
                        if droppedInEpisode == 0 {
                            report(
                                "forward queue full (\(settings.queueLimit) deliveries wait for \(settings.url)): deliveries from seq \(seqs.lowerBound) on are not forwarded until it drains; calldash replay --not-forwarded can send them later"
                            )
                        }
                        droppedInEpisode += batch.dropped
                    } else if droppedInEpisode > 0, feed.count == 0 {
                        report("forward queue drained: \(droppedInEpisode) deliveries were not forwarded to \(settings.url)")
                        droppedInEpisode = 0
                    }
                    if batch.deliveries.isEmpty { break }
                    for entry in batch.deliveries where entry.kind == .delivery {
                        guard let record = try? DeliveryRecord(json: entry.line), record.outcome == .accepted else { continue }
                        begin(record, in: &group)
                    }
                }
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
    }

    /// Forwards `record` in a task of `group`; it stays under way if stopped first.
    private func begin(_ record: DeliveryRecord, in group: inout DiscardingTaskGroup) {
        let resend = marked(Resend(record, to: settings.url, replayOf: nil), record)
        underWay.withLock { $0[record.seq] = resend?.request.url ?? settings.url }
        group.addTask {
            if await self.forward(record, resend) { self.underWay.withLock { $0[record.seq] = nil } }
            self.wake.yield()
        }
    }

    /// Where `record` is forwarded to (the app's path followed by the delivery's, its query), for
    /// one not yet begun.
    private func url(of record: DeliveryRecord) -> String {
        Resend(record, to: settings.url, replayOf: nil)?.request.url ?? settings.url
    }

    /// Every attempt to send `resend` (`record` as forwarded), each recorded, until the app
    /// takes it or attempts run out; false when stopped first.
    private func forward(_ record: DeliveryRecord, _ resend: Resend?) async -> Bool {
        var backoff = settings.initialBackoff
        for n in 1...settings.attempts {
            guard
                let (answer, final) = await attempt(n, of: record, resend, last: n == settings.attempts, keeping: ForwardAttempt.replyKept)
            else { return false }
            if final {
                if resend?.unsendable == nil { tell(answer, seq: record.seq, attempts: n) }
                return true
            }
            try? await Task.sleep(for: backoff)
            if Task.isCancelled { return false }
            backoff *= 2
        }
        return true
    }

    /// Says when the app stops taking deliveries (the first one it did not take, after every
    /// attempt) and when it takes one again (how many it did not take meanwhile): once each,
    /// not once per delivery.
    private func tell(_ answer: Answer, seq: UInt64, attempts: Int) {
        let delivered = answer.status.map(ProviderRule.delivered) ?? false
        let said: String? = notTaken.withLock { n in
            if delivered {
                guard n.count > 0 else { return nil }
                defer { n.count = 0 }
                return
                    "your app at \(settings.url) takes deliveries again; it did not take \(n.count == 1 ? "1 delivery" : "\(n.count) deliveries") from seq \(n.firstSeq) on (calldash replay --not-forwarded --after \(n.firstSeq - 1) can send them)"
            }
            n.count += 1
            guard n.count == 1 else { return nil }
            n.firstSeq = seq
            let why = answer.error ?? answer.status.map { "it answered \($0)" } ?? "no answer"
            return
                "your app at \(settings.url) did not take seq \(seq) after \(attempts) attempts (\(why)); forwarding goes on, and the next one it takes is said"
        }
        if let said { report(said) }
    }

    /// One attempt, waited for (`--forward-reply`): the app's answer for the provider, or 502
    /// with the reason in JSON when none came (the provider retries by its own rule). The
    /// attempt is recorded like any other.
    public func answer(for record: DeliveryRecord) async -> AppAnswer {
        let resend = marked(Resend(record, to: settings.url, replayOf: nil), record)
        let answer = await attempt(1, of: record, resend, last: true, keeping: AppAnswer.maxBody + 1)?.answer
        let why: String
        switch answer {
        case let a? where a.status != nil && a.body.count <= AppAnswer.maxBody:
            let type = a.contentType.flatMap { $0.contains(where: \.isNewline) ? nil : $0 }
            return AppAnswer(status: a.status ?? 502, contentType: type, body: a.body)
        case let a? where a.status != nil: why = "its answer is over \(AppAnswer.maxBody) bytes"
        case let a?: why = a.error ?? "no answer"
        case nil: why = "calldash is stopping"
        }
        var w = JSONWriter(capacity: 128)
        w.raw("{\"error\":")
        w.string("your app at \(settings.url) did not answer: \(why)")
        w.raw(",\"seq\":")
        w.int(record.seq)
        w.raw("}")
        return AppAnswer(status: 502, contentType: "application/json", body: w.bytes)
    }

    /// `resend` with this receiver's mark added to `CallDash-Forwarded-By`; unsendable when the
    /// delivery already carries it, or has passed through `maxHops` receivers.
    private func marked(_ resend: Resend?, _ record: DeliveryRecord) -> Resend? {
        guard var resend else { return nil }
        let name = Self.forwardedByHeader
        let marks = record.headers.filter { $0.name.lowercased() == name }
            .flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if marks.contains(mark) {
            resend.unsendable = "it came back through this receiver's own forwarding (a forwarding loop)"
        } else if marks.count >= Self.maxHops {
            resend.unsendable = "it has passed through \(marks.count) forwarding receivers already (a loop?)"
        }
        var headers = resend.request.headers.filter { $0.name.lowercased() != name }
        headers.append(NameValue("CallDash-Forwarded-By", (marks + [mark]).joined(separator: ", ")))
        resend.request.headers = headers
        resend.request.maskedHeaders = headers
        return resend
    }

    /// Makes attempt `number` for `record` and records it (`last`: no other attempt follows
    /// whatever happens); nil when cancelled. `final` is true when no attempt should follow.
    private func attempt(_ number: Int, of record: DeliveryRecord, _ resend: Resend?, last: Bool, keeping limit: Int) async
        -> (answer: Answer, final: Bool)?
    {
        let started = ContinuousClock.now
        let at = Timestamp.now()
        let sendable = resend.map { $0.unsendable == nil } ?? false
        let answer: Answer
        if sendable, let resend, let request = try? resend.request.clientRequest() {
            answer = await send(request, keeping: limit)
        } else {
            answer = Answer(error: "not forwarded: " + (resend?.unsendable ?? "\(settings.url) is not an http(s) URL"))
        }
        // Stopping cuts the request short: no answer then is no answer of the app's (the delivery
        // stays pending). An answer that came is the app's, and kept.
        if answer.status == nil, Task.isCancelled || stopping.load(ordering: .acquiring) { return nil }
        let elapsed = ContinuousClock.now - started
        let delivered = answer.status.map(ProviderRule.delivered) ?? false
        let final = last || delivered || !sendable
        recorder.recordForward(
            ForwardAttempt(
                seq: record.seq, at: at, url: resend?.request.url ?? settings.url, attempt: number, status: answer.status,
                ms: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                error: delivered ? nil : answer.error ?? answer.status.map { "the app answered \($0)" }, delivered: delivered,
                // More than is kept: the recorder masks secrets before it cuts, so none is cut in two.
                reply: String(decoding: answer.body.prefix(ForwardAttempt.replyKept + 4096), as: UTF8.self)), final: final)
        return (answer, final)
    }

    struct Answer {
        var status: Int?
        var contentType: String?
        /// The start of the app's reply (up to the limit asked for).
        var body: [UInt8] = []
        var error: String?

        init(status: Int? = nil, contentType: String? = nil, body: [UInt8] = [], error: String? = nil) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.error = error
        }
    }

    /// One request: the app's status and the first `limit` bytes of its reply, or why there was none.
    private func send(_ request: HTTPClientRequest, keeping limit: Int) async -> Answer {
        let (client, timeout, url) = (self.client, settings.timeout, settings.url)
        do {
            return try await within(seconds: max(1, Int64(timeout.components.seconds)), on: loop) {
                let response = try await client.execute(request, timeout: TimeAmount(timeout))
                var kept: [UInt8] = []
                var read = 0
                // The reply is read to its end (so the connection can be used again), at most
                // 1 MiB past what is kept.
                for try await chunk in response.body {
                    read += chunk.readableBytes
                    if kept.count < limit { kept += chunk.readableBytesView.prefix(limit - kept.count) }
                    if read > limit + AppAnswer.maxBody { break }
                }
                return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: kept)
            }
        } catch {
            return Answer(error: (error as? AnswerTimedOut)?.description ?? TransportFailure.describe(error, url: url))
        }
    }
}
