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
/// again after a doubling backoff (1 s to 30 s); a refused token ends the following.
public final class RemoteFollower: Sendable {
    /// Where the following stands, for the dashboard's header.
    public enum Status: Sendable, Equatable {
        case loading(records: Int)
        case connected
        case reconnecting(inSeconds: Int, why: String)
        /// Given up: the token was refused (retrying would not help).
        case stopped(why: String)

        public var text: String {
            switch self {
            case .loading(let n): "loading (\(n) records)"
            case .connected: "connected"
            case .reconnecting(let s, let why): "reconnecting in \(s) s (\(why))"
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
        // The stream says ": heartbeat" every 15 s: three missed mean the connection is gone.
        configuration.timeout = .init(connect: .seconds(Clients.connectSeconds), read: .seconds(45))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Follows until cancelled, or until the token is refused.
    public func run() async {
        // A stream being read does not notice cancellation by itself: closing the client's
        // connections ends it.
        await withTaskCancellationHandler {
            await followAndRetry()
        } onCancel: { [client] in
            client.shutdown { _ in }
        }
    }

    private func followAndRetry() async {
        var backoff = 1
        var first = true
        while !Task.isCancelled {
            do {
                try await catchUp(first: first)
                first = false
                try await follow { backoff = 1 }
                throw ReceiverQueryFailure("the stream ended")
            } catch let failure as ReceiverQueryFailure where failure.status == 401 {
                status(.stopped(why: "token refused: \(failure.description)"))
                break
            } catch {
                if Task.isCancelled { break }
                status(.reconnecting(inSeconds: backoff, why: Self.describe(error, base: base)))
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(30, backoff * 2)
            }
        }
        if !Task.isCancelled { try? await client.shutdown() }
    }

    static func describe(_ error: Error, base: String) -> String {
        if let f = error as? ReceiverQueryFailure { return f.description }
        return TransportFailure.describe(error, url: base)
    }

    /// Pages the records after the last one held (the first time, the newest that fit the store).
    private func catchUp(first: Bool) async throws {
        var after = recorder.lastSeq
        if first, after == 0 {
            let health = try await ReceiverQuery.get(base, path: "/_calldash/health", query: [], token: token)
            let received = (try? JSONSerialization.jsonObject(with: Data(health)) as? [String: Any])?["received"] as? Int ?? 0
            after = UInt64(max(0, received - recorder.store.capacity))
        }
        var loaded = 0
        status(.loading(records: 0))
        // The largest pages a receiver gives: loading is mostly round trips otherwise.
        let unreadable = try await RemoteRecords.forEachPage(
            base, token: token, statuses: [], text: nil, after: after, limit: .max, pageSize: 10_000
        ) { page in
            for r in page where recorder.adopt(r) { loaded += 1 }
            status(.loading(records: loaded))
        }
        if unreadable > 0 { skipped("\(base): \(unreadable) records could not be read and were skipped") }
    }

    /// Reads the stream until it ends or fails; `connected` is called once it answers.
    private func follow(connected: () -> Void) async throws {
        var request = HTTPClientRequest(url: base + "/_calldash/stream")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Last-Event-ID", value: String(recorder.lastSeq))
        let response = try await client.execute(request, timeout: .hours(24 * 365))
        switch response.status.code {
        case 200: break
        case 401:
            var f = ReceiverQueryFailure(
                token == nil
                    ? "\(base) asks for a token (401): give the receiver's with --token or CALLDASH_TOKEN"
                    : "\(base) refused the token (401): give the receiver's with --token or CALLDASH_TOKEN")
            f.status = 401
            throw f
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

/// A `text/event-stream` read in chunks: complete events out, the rest kept (bounded).
struct ServerSentEvents {
    struct Event: Equatable {
        var name = "message"
        var id: String?
        var data: [UInt8] = []
    }

    let maxEvent: Int
    private var pending: [UInt8] = []
    /// How far `pending` has been searched for the end of an event.
    private var scanned = 0

    init(maxEvent: Int) { self.maxEvent = maxEvent }

    /// The events completed by `bytes` (an event ends at a blank line; comments are skipped).
    mutating func take(_ bytes: some Collection<UInt8>) throws -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        while let end = Self.blankLine(in: pending, from: max(start, scanned - 2)) {
            if let e = Self.event(pending[start..<end.lowerBound]) { events.append(e) }
            start = end.upperBound
        }
        pending.removeFirst(start)
        scanned = pending.count
        if pending.count > maxEvent { throw ReceiverQueryFailure("the stream sent an event over \(maxEvent) bytes") }
        return events
    }

    /// The next `\n\n` (or `\r\n\r\n`) at or after `from`.
    private static func blankLine(in b: [UInt8], from: Int) -> Range<Int>? {
        var i = from
        while i + 1 < b.count {
            if b[i] == 0x0A, b[i + 1] == 0x0A { return i..<(i + 2) }
            if b[i] == 0x0A, b[i + 1] == 0x0D, i + 2 < b.count, b[i + 2] == 0x0A { return i..<(i + 3) }
            i += 1
        }
        return nil
    }

    private static func event(_ block: ArraySlice<UInt8>) -> Event? {
        var e = Event()
        var sawData = false
        for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard line.first != UInt8(ascii: ":") else { continue }
            let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
            let field = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            var value = colon < line.endIndex ? line[(colon + 1)...] : []
            if value.first == 0x20 { value = value.dropFirst() }
            switch field {
            case "event": e.name = String(decoding: value, as: UTF8.self)
            case "id": e.id = String(decoding: value, as: UTF8.self)
            case "data":
                if sawData { e.data.append(0x0A) }
                e.data.append(contentsOf: value)
                sawData = true
            default: break
            }
        }
        return sawData ? e : nil
    }
}
