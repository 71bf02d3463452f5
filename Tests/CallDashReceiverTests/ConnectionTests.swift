import CallDashCore
import Foundation
import NIOCore
import Testing

@testable import CallDashReceiver

@Suite("Slow, stalled and unusual clients")
struct ConnectionTests {
    @Test("a stalled client does not hold up others, and is closed once silent past the idle timeout")
    func stalledClient() async throws {
        try await TestReceiver.run(idle: .seconds(3)) { r async throws in
            let stalled = try RawConnection(port: r.port)
            stalled.send("POST /ack HTTP/1.1\r\nHost: t\r\nContent-Le")
            let started = Date()
            #expect(try await postJSON(r.base + "/ok", seedReport).status == 200)
            // On a loaded machine the answer itself may take longer than the idle timeout.
            if Date().timeIntervalSince(started) < 2 {
                #expect(await !stalled.read(seconds: 0.1).closed, "answered while the stalled one is still open")
            }
            let end = await stalled.read(seconds: 8)
            #expect(end.closed)
        }
    }

    @Test("a body that trickles in past the request time limit gets 408 and is recorded with what arrived")
    func slowBody() async throws {
        try await TestReceiver.run(requestTimeout: .milliseconds(800)) { r async throws in
            let slow = try RawConnection(port: r.port)
            slow.send("POST /ack HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":")
            let reply = await slow.read(until: { $0.contains("}") }, seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 408"))
            #expect(reply.text.contains("did not arrive within the time limit"))
            let record = try r.last()
            #expect(record.responseCode == 408 && record.outcome == .rejected)
            #expect(record.raw == Array("{\"status\":".utf8))
        }
    }

    @Test("pipelined requests on one connection are answered in order")
    func pipelining() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            let one =
                "POST /p HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(seedReport.utf8.count)\r\n\r\n\(seedReport)"
            conn.send(one + one + one)
            let text = await conn.read(until: { $0.components(separatedBy: "\"ok\":true").count == 4 }).text
            let seqs = text.components(separatedBy: "\"seq\":").dropFirst().map { $0.prefix { $0.isNumber } }
            #expect(seqs == ["1", "2", "3"])
        }
    }

    @Test("an announced oversize body is refused with 413 within a moment, recorded, and the connection closed")
    func announcedOversize() async throws {
        try await TestReceiver.run(limits: DeliveryLimits(maxBodyBytes: 100)) { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n")
            let reply = await conn.read(seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 413"))
            #expect(reply.closed)
            #expect(try r.last().error == "body of 5000000 bytes exceeds the 100-byte limit")
        }
    }

    @Test("bytes that are not HTTP (a TLS hello) get a 400 and a closed connection, and the receiver keeps serving")
    func notHTTP() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send([0x16, 0x03, 0x01, 0x00, 0xFF, 0x01] + Array("garbage\r\n\r\n".utf8))
            let reply = await conn.read(seconds: 5)
            #expect(reply.text.hasPrefix("HTTP/1.1 400"))
            #expect(reply.closed)
            #expect(try await postJSON(r.base + "/a", seedReport).status == 200)
        }
    }

    @Test("a query string with a malformed escape is refused and recorded with the request target as sent")
    func malformedQuery() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send("GET /hook?status=%zz HTTP/1.1\r\nHost: t\r\n\r\n")
            let reply = await conn.read(until: { $0.contains("}") })
            #expect(reply.text.hasPrefix("HTTP/1.1 400"))
            #expect(reply.text.contains("query string: malformed percent-escape at byte 7"))
            #expect(try r.last().path == "/hook?status=%zz")
        }
    }

    @Test("a body sent with Expect: 100-continue is accepted")
    func expectContinue() async throws {
        try await TestReceiver.run { r async throws in
            let conn = try RawConnection(port: r.port)
            conn.send(
                "POST /c HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(seedReport.utf8.count)\r\n\r\n"
            )
            #expect(await conn.read(until: { $0.contains("100 Continue") }).text.contains("HTTP/1.1 100 Continue"))
            conn.send(seedReport)
            #expect(await conn.read(until: { $0.contains("\"seq\":1") }).text.contains("HTTP/1.1 200 OK"))
        }
    }
}
