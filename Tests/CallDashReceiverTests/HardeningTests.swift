import CallDashCore
import Foundation
import NIOCore
import Testing

@testable import CallDashReceiver

/// A POST of `seedReport` with a distinct mid, as raw HTTP/1.1.
private func delivery(_ n: Int, host: String = "127.0.0.1") -> String {
    let body = seedReport.replacingOccurrences(of: "1234-1333-00042", with: "slow-\(n)")
    return "POST /ack HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
}

/// Sends `count` deliveries pipelined over one connection, `batch` at a time, each batch read back.
private func post(_ count: Int, to port: Int, batch: Int = 100) async throws -> Int {
    let conn = try RawConnection(port: port)
    var acked = 0
    var n = 0
    while n < count {
        let k = min(batch, count - n)
        conn.send((n..<(n + k)).map { delivery($0) }.joined())
        let text = await conn.read(until: { $0.components(separatedBy: "\"ok\":true").count > k }, seconds: 20).text
        acked += text.components(separatedBy: "\"ok\":true").count - 1
        n += k
    }
    return acked
}

/// The process's resident memory, from /proc.
private func residentBytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Int(line.filter(\.isNumber)) ?? 0) * 1024
}

@Suite("Faults from peers are bounded and never crash the receiver")
struct HardeningTests {
    @Test("a stream reader that never reads is cut off with an overflow event naming its last seq, while every delivery is taken")
    func slowStreamReader() async throws {
        // Posting takes longer than the 15 s stall cut-off on a loaded machine: this test is about the queue.
        try await TestReceiver.run(streamStall: .seconds(120)) { r async throws in
            let slow = try RawConnection(port: r.port, receiveBuffer: 1024)
            slow.send("GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await slow.read(until: { $0.contains(": connected") }).text.contains("200 OK"))
            // More than the queue, the socket buffers and the channel's outbound buffer hold.
            let total = ReceiverHandler.streamQueueLimit + 12_000
            #expect(try await post(total, to: r.port, batch: 500) == total)
            #expect(try await request(.GET, r.base + "/_calldash/health").status == 200)
            let (text, closed) = await slow.read(seconds: 30)
            let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
            let inOrder = !ids.isEmpty && ids == Array(1...UInt64(ids.count))
            #expect(inOrder, "events arrive in order with none missing")
            #expect(ids.count < total, "the reader fell behind and was cut off")
            let overflow = "event: overflow\ndata: {\"last_seq\":\(ids.count),"
            #expect(text.hasSuffix("\n\n") && text.suffix(400).contains(overflow), "ends with: \(text.suffix(300))")
            #expect(closed)
            #expect(r.recorder.store.counts.accepted == UInt64(total))
        }
    }

    @Test("several stream readers that read slowly never stall ingest or crash it")
    func slowButReadingStreams() async throws {
        try await TestReceiver.run { r async throws in
            let readers = try (0..<3).map { _ in try RawConnection(port: r.port, receiveBuffer: 2048) }
            for c in readers { c.send("GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") }
            // Between batches each reader takes a little: slower than the deliveries arrive.
            var acked = 0
            for _ in 0..<30 {
                await acked += try post(100, to: r.port)
                for c in readers { _ = await c.read(seconds: 0.01) }
            }
            #expect(acked == 3000)
            #expect(r.recorder.store.counts.accepted == 3000)
        }
    }

    @Test("a resuming stream gets its backlog, and a gap event with where to page when it missed more than the backlog")
    func resumeWithGap() async throws {
        try await TestReceiver.run { r async throws in
            for i in 0..<1500 {
                try r.recorder.record(DeliveryRecord(receivedAt: .now(), method: "POST", path: "/x", fields: ReportFields([.mid: "m\(i)"])))
            }
            let conn = try RawConnection(port: r.port)
            conn.send("GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 100\r\n\r\n")
            let backlog = await conn.read(until: { $0.contains("id: 1500\n") }, seconds: 10).text
            #expect(backlog.contains("event: gap\ndata: {\"after\":100,\"next\":501,\"reports\":\"/_calldash/reports?after=100\"}"))
            let ids = backlog.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { UInt64($0.dropFirst(4)) }
            #expect(ids == Array(501...1500))
            #expect(try await postJSON(r.base + "/live", seedReport).status == 200)
            #expect(await conn.read(until: { $0.contains("id: 1501\n") }).text.contains("id: 1501\n"))
        }
    }

    @Test("pipelined /reports requests that are never read cost one answer of memory, not one per request")
    func pipelinedUnreadReports() async throws {
        try await TestReceiver.run { r async throws in
            let big = String(repeating: "x", count: 900)
            for i in 0..<10_000 {
                try r.recorder.record(
                    DeliveryRecord(
                        receivedAt: .now(), method: "POST", path: "/x", fields: ReportFields([.mid: "m\(i)", .recordingURL: big])))
            }
            let before = residentBytes()
            let greedy = try RawConnection(port: r.port, receiveBuffer: 4096)
            greedy.send(String(repeating: "GET /_calldash/reports?limit=10000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", count: 60))
            try await Task.sleep(for: .seconds(3))
            let grown = residentBytes() - before
            #expect(grown < 150 << 20, "grew \(grown >> 20) MB")
            #expect(try await request(.GET, r.base + "/_calldash/reports?limit=1").status == 200)
        }
    }

    @Test("a client that half-closes after its request still gets the answer")
    func halfClose() async throws {
        try await TestReceiver.run { r async throws in
            for n in 0..<5 {
                let conn = try RawConnection(port: r.port)
                conn.send(delivery(n))
                conn.shutdownWrite()
                let reply = await conn.read(seconds: 5)
                #expect(reply.text.hasPrefix("HTTP/1.1 200 OK") && reply.text.contains("\"seq\":\(n + 1)"))
                #expect(reply.closed)
            }
        }
    }

    @Test("a malformed chunked body gets a 400 and is recorded as rejected with what arrived")
    func malformedChunk() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send(
                "POST /chunk HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nzz\r\n"
            )
            let reply = await conn.read(seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 400") && reply.text.contains("malformed request body (invalid chunk size)"))
            let record = try r.last()
            #expect(record.outcome == .rejected && record.responseCode == 400 && record.path == "/chunk")
        }
    }

    @Test("an unknown method gets 405 and is recorded with the method it sent")
    func unknownMethod() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send("FOO /x HTTP/1.1\r\nHost: t\r\n\r\n")
            let reply = await conn.read(seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 405"))
            let record = try r.last()
            #expect(record.method == "FOO" && record.responseCode == 405 && record.outcome == .rejected)
        }
    }

    @Test("an announced oversize body is recorded with at least its first 64 KiB and the size in the error")
    func oversizeKeepsItsStart() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
            conn.send(Array(repeating: UInt8(ascii: "a"), count: 100_000))
            let reply = await conn.read(seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 413"))
            let record = try r.last()
            #expect(record.raw.count >= 64 << 10)
            #expect(record.error == "body of 2000000 bytes exceeds the 1048576-byte limit")
        }
    }

    @Test("without a token the API refuses a request for a foreign host name (DNS rebinding), and answers local ones")
    func foreignHostRefused() async throws {
        try await TestReceiver.run { r async throws in
            for (host, status) in [
                ("١.1.1.1", "403"), ("127.0.0.1:1@evil.example", "403"), ("evil.example", "403"), ("evil.example:\(r.port)", "403"),
                ("localhost:9999", "200"), ("127.0.0.1", "200"), ("[::1]:1", "200")
            ] {
                let conn = try RawConnection(port: r.port)
                conn.send("GET /_calldash/reports HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                #expect(await conn.read(until: { $0.contains("\r\n\r\n") }).text.hasPrefix("HTTP/1.1 \(status)"), "Host: \(host)")
            }
        }
    }

    @Test("a request pipelined after a stream request is ignored, and the stream still cleans up when closed")
    func pipelinedAfterStream() async throws {
        try await TestReceiver.run { r async throws in
            var conns = try (0..<3).map { _ in try RawConnection(port: r.port) }
            for conn in conns {
                conn.send("GET /_calldash/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + delivery(1))
                #expect(await conn.read(until: { $0.contains(": connected") }).text.contains("200 OK"))
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(r.recorder.store.counts.received == 0, "the pipelined delivery was not taken")
            #expect(try await request(.GET, r.base + "/_calldash/metrics").body.contains("calldash_stream_subscribers 3"))
            conns.removeAll()
            var closed = false
            for _ in 0..<50 where !closed {
                try await Task.sleep(for: .milliseconds(100))
                closed = try await request(.GET, r.base + "/_calldash/metrics").body.contains("calldash_stream_subscribers 0")
            }
            #expect(closed, "closed streams give their slots back")
        }
    }

    @Test("without the token, a refused method or a bad query keeps no body either")
    func unauthenticatedBodiesNotKept() async throws {
        try await TestReceiver.run(token: "s3cret") { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send("DELETE /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            #expect(await conn.read(until: { $0.contains("}") }).text.hasPrefix("HTTP/1.1 401"))
            #expect(try r.last().raw.isEmpty)
        }
    }

    @Test("only one Authorization header counts: many of them are not many guesses")
    func oneAuthorizationHeader() async throws {
        try await TestReceiver.run(token: "s3cret") { r async throws in
            let reply = try await postJSON(
                r.base + "/ack", seedReport, headers: [("Authorization", "Bearer a"), ("Authorization", "Bearer s3cret")])
            #expect(reply.status == 401 && reply.json["error"]?.contains("more than one Authorization header") == true)
        }
    }
}
