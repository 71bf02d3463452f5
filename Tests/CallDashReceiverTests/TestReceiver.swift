import AsyncHTTPClient
import CallDashCore
import Foundation
import LoopbackSockets
import NIOCore
import NIOHTTP1

@testable import CallDashReceiver

/// A receiver on 127.0.0.1 and a free port, with its journal in a temporary folder.
struct TestReceiver {
    let receiver: Receiver
    let recorder: Recorder
    let port: Int
    let dir: String

    var journalPath: String { dir + "/journal.jsonl" }
    var base: String { "http://127.0.0.1:\(port)" }

    static func start(
        respond: Int = 200, token: String? = nil, limits: DeliveryLimits = DeliveryLimits(),
        idle: TimeAmount = .seconds(60), requestTimeout: TimeAmount = .seconds(30), fsync: Bool = false, webhooks: WebhookRegistry? = nil,
        capacity: Int = 10_000, streamStall: TimeAmount = .seconds(15),
        appAnswer: (@Sendable (Recorder) -> @Sendable (DeliveryRecord) async -> AppAnswer)? = nil, journaled: Bool = true
    ) async throws -> TestReceiver {
        let dir = NSTemporaryDirectory() + "calldash-receiver-" + UUID().uuidString
        let store = ReportStore(capacity: capacity)
        let journal = journaled ? try Journal(path: dir + "/journal.jsonl", fsync: fsync) : nil
        let recorder = Recorder(store: store, journal: journal, lastSeq: 0, redactor: SecretRedactor(secrets: token.map { [$0] } ?? []))
        var configuration = ReceiverConfiguration(
            host: "127.0.0.1", port: 0, respondCode: respond, token: token, limits: limits,
            idleTimeout: idle, requestTimeout: requestTimeout, threads: 2, webhooks: webhooks)
        configuration.streamStall = streamStall
        configuration.appAnswer = appAnswer?(recorder)
        let receiver = Receiver(configuration: configuration, recorder: recorder)
        let port = try await receiver.start()
        return TestReceiver(receiver: receiver, recorder: recorder, port: port, dir: dir)
    }

    /// Runs `body` against a fresh receiver and stops it afterwards, also when `body` throws.
    static func run(
        respond: Int = 200, token: String? = nil, limits: DeliveryLimits = DeliveryLimits(),
        idle: TimeAmount = .seconds(60), requestTimeout: TimeAmount = .seconds(30), fsync: Bool = false, webhooks: WebhookRegistry? = nil,
        streamStall: TimeAmount = .seconds(15), appAnswer: (@Sendable (Recorder) -> @Sendable (DeliveryRecord) async -> AppAnswer)? = nil,
        _ body: (TestReceiver) async throws -> Void
    ) async throws {
        let r = try await start(
            respond: respond, token: token, limits: limits, idle: idle, requestTimeout: requestTimeout, fsync: fsync, webhooks: webhooks,
            streamStall: streamStall, appAnswer: appAnswer)
        do {
            try await body(r)
        } catch {
            await r.stop()
            throw error
        }
        await r.stop()
    }

    func stop() async {
        await receiver.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The newest stored delivery, read back in full.
    func last() throws -> DeliveryRecord {
        let snap = recorder.store.snapshot()
        return try recorder.record(for: snap[snap.count - 1])
    }
}

struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body as a JSON object's members (keys to text).
    var json: [String: String] {
        (try? JSONFlatObject.parse(Array(body.utf8)))?.reduce(into: [:]) { $0[$1.key] = $1.text } ?? [:]
    }
}

/// One HTTP request through AsyncHTTPClient, bounded in time.
func request(_ method: HTTPMethod = .POST, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Reply {
    var r = HTTPClientRequest(url: url)
    r.method = method
    for (n, v) in headers { r.headers.add(name: n, value: v) }
    if let body { r.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(r, timeout: .seconds(10))
    let data = try await response.body.collect(upTo: 16 << 20)
    return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: data))
}

func postJSON(_ url: String, _ json: String, headers: [(String, String)] = []) async throws -> Reply {
    try await request(.POST, url, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
}

let seedReport =
    #"{"bridge": 918068280000, "from": 918919520000, "to": 918867130000, "source": "OBD", "mid": "1234-1333-00042", "flow_id": 123, "start_at": "2021-04-09 16:27:39", "end_at": "2021-04-09 16:27:55", "duration": "23", "status": "ANSWER", "recording_url": "https://youraudiofilelocation/"}"#

/// A raw TCP connection for what an HTTP client library will not do: stall, pipeline, send junk.
final class RawConnection {
    let fd: Int32

    /// `receiveBuffer` shrinks the socket's buffer, for a reader that falls behind quickly.
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        let fd = fd
        guard withLoopback(port: port, { connect(fd, $0, $1) }) == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    /// Enough for any answer a test waits for, and bounded for a peer that never stops sending.
    static let lateReadLimit = 16

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Says "no more requests" (half-close) and keeps reading.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `done` holds for what arrived, the peer closes, or `seconds` pass.
    /// Returns the text and whether the peer closed the connection. It polls without blocking
    /// and sleeps as a task: a thread blocked in a test is one of the two the whole suite runs on.
    /// What is already in the socket is still read after the deadline (up to `lateReadLimit`
    /// buffers of it): on a busy machine the task may wake from its sleep long after the
    /// deadline, the answer waiting unread.
    func read(until done: (String) -> Bool = { _ in false }, seconds: Double = 5) async -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        var lateReads = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if n > 0 {
                received += buffer[0..<n]
                if done(String(decoding: received, as: UTF8.self)) { break }
                if Date() >= deadline {
                    lateReads += 1
                    if lateReads >= Self.lateReadLimit { break }
                }
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                if Date() >= deadline { break }
                try? await Task.sleep(for: .milliseconds(2))
            } else {
                return (String(decoding: received, as: UTF8.self), true)
            }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }
}

/// A port on 127.0.0.1 that refuses connections, and that no other test's listener can be given
/// while this is held: bound, not listening. (A port closed again goes back to the pool the
/// kernel picks from for `--port 0`, and a test's "app that is down" then answered.)
final class RefusingPort {
    let fd: Int32
    let port: Int

    init() throws {
        guard let (fd, port) = boundLoopbackSocket() else { throw POSIXError(.EADDRINUSE) }
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }
}

/// Waits (a bounded loop that stops by itself) until `done` holds; false when it never did.
func eventually(seconds: Double = 20, _ done: () -> Bool) async -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if done() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return done()
}
