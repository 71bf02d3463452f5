import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore
import Synchronization

/// Follows a `serve` elsewhere for `watch --remote`: its newest records through
/// `/_calldash/reports`, then every new one through `/_calldash/stream`, into a local recorder
/// that has no receiver or journal of its own.
///
/// Each (re)connection first pages what came after the last record held, then opens the stream
/// with `Last-Event-ID` set to it: the recorder takes a seq only once, so across reconnects and
/// restarts of the remote receiver no call is missed or shown twice. A dropped stream is tried
/// again after a doubling backoff (1 s to 30 s); a refused token or TLS certificate, or a remote
/// receiver that started over (its seqs are other calls), ends the following.
public final class RemoteFollower: Sendable {
    /// Where the following stands, for the dashboard's header.
    public enum Status: Sendable, Equatable {
        case loading(records: Int)
        case connected
        /// Said each second of a wait of `of` seconds, so that a header counts down.
        case reconnecting(inSeconds: Int, of: Int, why: String)
        /// Given up: the token was refused, or the remote started over (retrying would not help).
        case stopped(why: String)

        public var text: String {
            switch self {
            case .loading(let n): "loading (\(n) records)"
            case .connected: "connected"
            case .reconnecting(let s, _, let why): "reconnecting in \(s) s (\(why))"
            case .stopped(let why): "stopped: \(why)"
            }
        }
    }

    public let base: String
    private let token: String?
    private let recorder: Recorder
    private let status: @Sendable (Status) -> Void
    /// Lines that were not a record or a forward, skipped (said once each in `status`' log).
    private let skipped: @Sendable (String) -> Void
    private let client: HTTPClient
    /// The largest event accepted; a bigger one is a broken stream.
    static let maxEvent = 64 << 20

    public init(
        base: String, token: String?, recorder: Recorder, status: @escaping @Sendable (Status) -> Void,
        skipped: @escaping @Sendable (String) -> Void
    ) {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        self.base = root
        self.token = token
        self.recorder = recorder
        self.status = status
        self.skipped = skipped
        var configuration = Clients.configuration()
        // The stream sends a comment every 15 s: three missed mean the connection is gone.
        configuration.timeout = .init(connect: .seconds(Clients.connectSeconds), read: .seconds(45))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A follower dropped without running to its end still closes its connections.
    deinit {
        client.shutdown { _ in }
    }

    /// Follows until cancelled (nil), or until following cannot go on: the token was refused,
    /// or the remote receiver started over. Returns why then (also said as `.stopped`).
    @discardableResult
    public func run() async -> String? {
        // A stream being read does not notice cancellation by itself: closing the client's
        // connections ends it.
        await withTaskCancellationHandler {
            await followAndRetry()
        } onCancel: { [client] in
            client.shutdown { _ in }
        }
    }

    private func followAndRetry() async -> String? {
        var backoff = 1
        var first = true
        var stopped: String?
        while !Task.isCancelled {
            do {
                try await checkSameHistory()
                try await catchUp(first: first, refreshing: true)
                first = false
                try await follow { backoff = 1 }
                throw ReceiverQueryFailure("the stream ended")
            } catch let failure as ReceiverQueryFailure where failure.status == 401 || failure.tlsRefused {
                stopped = failure.description
            } catch  where TransportFailure.isTLSRefusal(error) {
                stopped = Self.describe(error, base: base)
            } catch let startedOver as StartedOver {
                stopped = startedOver.description
            } catch {
                if Task.isCancelled { break }
                // Said each second, so that the header counts down.
                let why = Self.describe(error, base: base)
                for left in stride(from: backoff, to: 0, by: -1) where !Task.isCancelled {
                    status(.reconnecting(inSeconds: left, of: backoff, why: why))
                    try? await Task.sleep(for: .seconds(1))
                }
                backoff = min(30, backoff * 2)
            }
            if let stopped {
                status(.stopped(why: stopped))
                break
            }
        }
        if !Task.isCancelled { try? await client.shutdown() }
        return stopped
    }

    /// The remote receiver's history is not the one followed: its records are numbered anew.
    struct StartedOver: Error, CustomStringConvertible {
        var seq: UInt64
        /// It holds no seq that high (else: its seq is another call).
        var isBehind: Bool
        var description: String {
            "the remote receiver started over (restarted without its journal?): "
                + (isBehind ? "it has no call #\(seq) or later" : "its seq \(seq) is not the call shown here as #\(seq)")
                + "; run watch --remote again to follow it"
        }
    }

    /// On every (re)connection, the last record held must still be the remote's record of that
    /// seq: a receiver restarted without its journal numbers its calls from 1 again, and the
    /// calls it takes would be taken here for ones already held. It started over when its
    /// record of the seq is another call, or when it has none and nothing after it either (a
    /// receiver keeps its newest records, so a seq it has passed but forgot is not that). What
    /// cannot be read leaves the question open: following goes on.
    private func checkSameHistory() async throws {
        let seq = recorder.lastSeq
        let snapshot = recorder.store.snapshot()
        guard seq > 0, let i = snapshot.index(ofSeq: seq), let mine = try? recorder.record(for: snapshot[i]) else { return }
        do {
            let body = try await ReceiverQuery.get(base, path: "/_calldash/reports/\(seq)", query: [], token: token)
            guard let theirs = try? DeliveryRecord(json: body) else { return }
            if theirs.receivedAt != mine.receivedAt { throw StartedOver(seq: seq, isBehind: false) }
        } catch let failure as ReceiverQueryFailure where failure.status == 404 {
            let page = try await ReceiverQuery.get(
                base, path: "/_calldash/reports", query: [("after", String(seq - 1)), ("limit", "1")], token: token)
            if DeliveryRecord.lastSeq(inPage: page) == nil { throw StartedOver(seq: seq, isBehind: true) }
        } catch let failure as ReceiverQueryFailure where failure.status != 401 {
            return // the remote could not read it back: not a sign either way
        }
    }

    static func describe(_ error: Error, base: String) -> String {
        if let f = error as? ReceiverQueryFailure { return f.description }
        return TransportFailure.describe(error, url: base)
    }

    /// Pages the records after the last one held (the first time, the newest that fit the
    /// store). `refreshing` (a connection) pages from a page before it: forwards made while
    /// disconnected (the stream's `forward` events are not resumed) are read off the newest
    /// calls held.
    private func catchUp(first: Bool, refreshing: Bool = false) async throws {
        let held = recorder.lastSeq
        var after = refreshing ? held - min(held, UInt64(min(Self.pageSize, recorder.store.snapshot().count))) : held
        if held == 0 {
            let health = try await ReceiverQuery.get(base, path: "/_calldash/health", query: [], token: token)
            let received = (try? JSONSerialization.jsonObject(with: Data(health)) as? [String: Any])?["received"] as? Int ?? 0
            // The remote's figure: any number, so compared before it is subtracted from.
            after = received > recorder.store.capacity ? UInt64(received - recorder.store.capacity) : 0
        }
        var loaded = 0
        var unreadable = 0
        // A reconnection says so only when calls came meanwhile: until then the header keeps why it reconnects.
        if first { status(.loading(records: 0)) }
        // Pages of 10,000 (the most a receiver gives), each asked for as soon as the one before
        // has arrived (its last seq is read off its bytes), so the receiver prepares the next
        // page while this one is read and taken in.
        var next: Task<[UInt8], Error>? = fetch(after: after)
        defer { next?.cancel() }
        while let pending = next {
            let page = try await pending.value
            let last = DeliveryRecord.lastSeq(inPage: page)
            next = last.map { $0 > after ? fetch(after: $0) : nil } ?? nil
            if let last { after = max(after, last) }
            let (records, bad, _) = DeliveryRecord.recordLines(inPage: page)
            let opening = page.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            if records.isEmpty, bad > 0, opening != UInt8(ascii: "[") {
                throw ReceiverQueryFailure("\(base) answered something else than a list of records: is it a calldash receiver?")
            }
            unreadable += bad
            for (r, line) in records {
                if recorder.adopt(r, line: line) {
                    loaded += 1
                } else if let forward = r.forward, recorder.forwards.last(of: r.seq) != forward {
                    recorder.adoptForward(forward)
                }
            }
            if first || loaded > 0 { status(.loading(records: loaded)) }
        }
        if unreadable > 0 { skipped("\(base): \(unreadable) records could not be read and were skipped") }
    }

    private func fetch(after: UInt64) -> Task<[UInt8], Error> {
        let (base, token) = (self.base, self.token)
        return Task {
            try await ReceiverQuery.get(
                base, path: "/_calldash/reports", query: [("after", String(after)), ("limit", String(Self.pageSize))], token: token)
        }
    }

    /// The most records a receiver gives in one page.
    static let pageSize = 10_000

    /// Reads the stream until it ends or fails; `connected` is called once it answers.
    private func follow(connected: () -> Void) async throws {
        var request = HTTPClientRequest(url: base + "/_calldash/stream")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Last-Event-ID", value: String(recorder.lastSeq))
        let response = try await client.execute(request, timeout: .hours(24 * 365))
        switch response.status.code {
        case 200: break
        case 401: throw ReceiverQueryFailure.tokenRefused(by: base, tokenGiven: token != nil)
        default: throw ReceiverQueryFailure("\(base)/_calldash/stream answered \(response.status.code)")
        }
        connected()
        status(.connected)
        var events = ServerSentEvents(maxEvent: Self.maxEvent)
        for try await chunk in response.body {
            for event in try events.take(chunk.readableBytesView) {
                try await handle(event)
            }
        }
    }

    private func handle(_ event: ServerSentEvents.Event) async throws {
        switch event.name {
        case "delivery":
            guard let r = try? DeliveryRecord(json: event.data) else {
                return skipped("\(base): a delivery event that is not a record was skipped (id \(event.id ?? "none"))")
            }
            if r.seq > recorder.lastSeq + 1 {
                // Something came in between (a gap the stream did not announce): paged first.
                try await catchUp(first: false)
            }
            recorder.adopt(r)
        case "forward":
            guard let parsed = try? ForwardAttempt(event: event.data) else {
                return skipped("\(base): a forward event that could not be read was skipped")
            }
            recorder.adoptForward(parsed)
        case "gap":
            // More was missed than the stream's backlog holds: page it.
            try await catchUp(first: false)
        case "overflow":
            throw ReceiverQueryFailure("this dashboard fell behind the stream; it resumes from seq \(recorder.lastSeq)")
        case "unreadable":
            skipped("\(base): the receiver could not read back a record for the stream: \(String(decoding: event.data, as: UTF8.self))")
        default:
            break
        }
    }
}
