import CallDashCore
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import CallDashReceiver

/// One connection's pipeline, as the receiver builds it, on an `EmbeddedChannel`: bytes in,
/// answers out, time advanced by hand (the handler reads the loop's clock).
private final class Connection {
    let channel = EmbeddedChannel()
    let recorder: Recorder
    let dir = NSTemporaryDirectory() + "calldash-handler-" + UUID().uuidString

    init(idle: TimeAmount = .seconds(60), requestTimeout: TimeAmount = .seconds(30), maxBody: Int = 1 << 20) throws {
        recorder = Recorder(store: ReportStore(capacity: 100), journal: try Journal(path: dir + "/journal.jsonl"), lastSeq: 0)
        let configuration = ReceiverConfiguration(
            port: 0, limits: DeliveryLimits(maxBodyBytes: maxBody), idleTimeout: idle, requestTimeout: requestTimeout, threads: 1)
        let shared = ReceiverContext(configuration: configuration, recorder: recorder, logger: Logger(label: "test"))
        try Receiver.configure(channel, shared: shared, batch: ReplyBatch(loop: channel.embeddedEventLoop, recorder: recorder))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
    }

    deinit {
        _ = try? channel.finish()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
        channel.embeddedEventLoop.run()
    }

    /// Everything written to the peer so far.
    func received() throws -> String {
        var out = ""
        while let b = try channel.readOutbound(as: ByteBuffer.self) { out += String(buffer: b) }
        return out
    }

    func advance(_ t: TimeAmount) { channel.embeddedEventLoop.advanceTime(by: t) }

    var lastRecord: DeliveryRecord? {
        let snap = recorder.store.snapshot()
        return snap.count > 0 ? try? recorder.record(for: snap[snap.count - 1]) : nil
    }
}

private func post(_ body: String, path: String = "/ack", extra: String = "") -> String {
    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
}

@Suite("The connection handler, driven in memory")
struct HandlerTests {
    @Test("pipelined requests are answered in request order, the API's between the deliveries'")
    func pipelinedOrder() throws {
        let c = try Connection()
        try c.send(post(seedReport) + "GET /_calldash/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + post(seedReport))
        let text = try c.received()
        let first = try #require(text.range(of: "{\"ok\":true,\"seq\":1}"))
        let health = try #require(text.range(of: "{\"status\":\"ok\""))
        let second = try #require(text.range(of: "{\"ok\":true,\"seq\":2}"))
        #expect(first.upperBound < health.lowerBound && health.upperBound < second.lowerBound)
    }

    @Test("an accepted delivery is answered with exactly its head and {\"ok\":true,\"seq\":N}; HTTP/1.0 is told the connection closes")
    func acceptedAnswerBytes() throws {
        let c = try Connection()
        try c.send(post(seedReport))
        #expect(
            try c.received() == "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 19\r\n\r\n{\"ok\":true,\"seq\":1}")
        try c.send(post(seedReport).replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0"))
        #expect(
            try c.received()
                == "HTTP/1.0 200 OK\r\ncontent-type: application/json\r\ncontent-length: 19\r\nconnection: close\r\n\r\n{\"ok\":true,\"seq\":2}"
        )
    }

    /// Every digit count a seq can have: 1, 9, 10, 99, 100, … up to UInt64.max.
    static let seqsOfEveryLength: [UInt64] = {
        let powers = Array(sequence(first: UInt64(1)) { $0 <= UInt64.max / 10 ? $0 * 10 : nil }) // 1 … 10^19
        return powers + powers.dropFirst().map { $0 - 1 } + [UInt64.max]
    }()

    @Test("the accepted answer's content-length counts every digit of the seq", arguments: seqsOfEveryLength)
    func acceptedAnswerLength(seq: UInt64) {
        for status in [200, 202] {
            let text = String(buffer: HTTPWire.accepted(version: .http1_1, status: status, seq: seq, keepAlive: true, allocator: .init()))
            let parts = text.components(separatedBy: "\r\n\r\n")
            let length = parts[0].split(separator: "\r\n").first { $0.hasPrefix("content-length: ") }?.dropFirst(16)
            #expect(parts.count == 2 && parts[1] == "{\"ok\":true,\"seq\":\(seq)}" && length.flatMap { Int($0) } == parts[1].utf8.count)
        }
    }

    @Test("--respond 204, 205 or 304 answers without a body (a client would read one as the next answer); 401 says how to authenticate")
    func answersWithoutContent() {
        func answer(_ status: Int) -> String {
            String(buffer: HTTPWire.accepted(version: .http1_1, status: status, seq: 7, keepAlive: true, allocator: .init()))
        }
        #expect(answer(204) == "HTTP/1.1 204 No Content\r\ncontent-type: application/json\r\n\r\n")
        #expect(answer(205) == "HTTP/1.1 205 Reset Content\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n")
        #expect(answer(304) == "HTTP/1.1 304 Not Modified\r\ncontent-type: application/json\r\n\r\n")
        #expect(answer(401).contains("\r\nwww-authenticate: Bearer\r\n") && answer(401).hasSuffix("{\"ok\":true,\"seq\":7}"))
        let error = HTTPWire.response(
            version: .http1_1, status: 204, contentType: "application/json", body: ByteBuffer(string: "{}"), keepAlive: true,
            allocator: .init())
        #expect(String(buffer: error) == "HTTP/1.1 204 No Content\r\ncontent-type: application/json\r\n\r\n")
    }

    @Test("a body that does not arrive within the request time limit gets 408 on the loop's clock, recorded with what came")
    func requestTimeout() throws {
        let c = try Connection(requestTimeout: .seconds(2))
        try c.send("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"status\":")
        c.advance(.seconds(1))
        #expect(try c.received().isEmpty)
        c.advance(.seconds(2))
        let text = try c.received()
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(c.lastRecord?.raw == Array("{\"status\":".utf8) && c.lastRecord?.responseCode == 408)
    }

    @Test("a silent connection is closed once the idle timeout passes, not before")
    func idleTimeout() throws {
        let c = try Connection(idle: .seconds(10))
        c.advance(.seconds(8))
        #expect(c.channel.isActive)
        c.advance(.seconds(8))
        #expect(!c.channel.isActive)
    }

    @Test("an announced oversize body waits a moment for its start, then 413 keeps what came")
    func oversizeAnnounced() throws {
        let c = try Connection(maxBody: 100)
        try c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "x", count: 300))
        #expect(try c.received().isEmpty)
        c.advance(ReceiverHandler.oversizeWait)
        #expect(try c.received().hasPrefix("HTTP/1.1 413"))
        #expect(c.lastRecord?.raw.count == 300)
        #expect(c.lastRecord?.error == "body of 5000 bytes exceeds the 100-byte limit")
    }

    @Test("Expect: 100-continue gets its interim answer at once, then the delivery's")
    func expectContinue() throws {
        let c = try Connection()
        try c.send(
            "POST /c HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(seedReport.utf8.count)\r\n\r\n"
        )
        #expect(try c.received() == "HTTP/1.1 100 Continue\r\n\r\n")
        try c.send(seedReport)
        #expect(try c.received().hasPrefix("HTTP/1.1 200 OK"))
    }

    @Test("a half-closed connection is answered, then closed")
    func halfClose() throws {
        let c = try Connection()
        try c.channel.writeInbound(ByteBuffer(string: post(seedReport)))
        c.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        c.channel.embeddedEventLoop.run()
        #expect(try c.received().contains("{\"ok\":true,\"seq\":1}"))
        #expect(!c.channel.isActive)
    }

    @Test("bytes that are not HTTP get a 400 and the connection is closed; nothing is recorded")
    func garbage() throws {
        let c = try Connection()
        try? c.send("\u{16}\u{03}\u{01}\u{00}garbage\r\n\r\n")
        #expect(try c.received().hasPrefix("HTTP/1.1 400"))
        #expect(!c.channel.isActive)
        #expect(c.recorder.store.snapshot().count == 0)
    }

    @Test(
        "a journal deleted under the running receiver is said, and deliveries are answered 503 instead of being kept where nothing can read them"
    )
    func journalDeleted() throws {
        let c = try Connection()
        try c.send(post(seedReport))
        #expect(try c.received().contains("\"seq\":1"))
        try FileManager.default.removeItem(atPath: c.dir + "/journal.jsonl")
        try c.send(post(seedReport))
        #expect(try c.received().hasPrefix("HTTP/1.1 503"), "acknowledged deliveries must survive a restart")
        #expect(c.recorder.journalProblem?.contains("was deleted while calldash runs") == true)
        let refused = try #require(c.recorder.store.snapshot().count == 2 ? c.recorder.record(for: c.recorder.store.snapshot()[1]) : nil)
        #expect(refused.outcome == .rejected && refused.responseCode == 503)
    }
}
