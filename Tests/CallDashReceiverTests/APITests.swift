import CallDashCore
import Foundation
import Testing

@testable import CallDashReceiver

@Suite("The /_calldash/ endpoints")
struct APITests {
    @Test("health counts what was received, accepted, rejected and stored")
    func health() async throws {
        try await TestReceiver.run { r async throws in
            _ = try await postJSON(r.base + "/a", seedReport)
            _ = try await postJSON(r.base + "/a", "{bad")
            let reply = try await request(.GET, r.base + "/_calldash/health")
            #expect(reply.body == #"{"status":"ok","received":2,"accepted":1,"rejected":1,"stored":2}"#)
        }
    }

    @Test("reports come in ascending seq, filtered by status, text and outcome, paged with after and limit")
    func reports() async throws {
        try await TestReceiver.run { r async throws in
            for (i, status) in ["ANSWER", "BUSY", "ANSWER", "FAILED", "BUSY"].enumerated() {
                _ = try await postJSON(r.base + "/a", #"{"status":"\#(status)","mid":"m-\#(i + 1)","to":"91980000000\#(i)"}"#)
            }
            _ = try await postJSON(r.base + "/a", "not json at all")
            func seqs(_ query: String) async throws -> [String] {
                let reply = try await request(.GET, r.base + "/_calldash/reports" + query)
                #expect(reply.status == 200)
                return reply.body.split(separator: "\n").compactMap { line in
                    line.range(of: #""seq":"#).map { String(line[$0.upperBound...].prefix { $0.isNumber }) }
                }
            }
            #expect(try await seqs("") == ["1", "2", "3", "4", "5", "6"])
            #expect(try await seqs("?status=BUSY") == ["2", "5"])
            #expect(try await seqs("?status=busy&status=FAILED") == ["2", "4", "5"])
            #expect(try await seqs("?q=m-3") == ["3"])
            #expect(try await seqs("?q=919800000004") == ["5"])
            #expect(try await seqs("?outcome=rejected") == ["6"])
            #expect(try await seqs("?after=2&limit=2") == ["3", "4"])
            #expect(try await seqs("?after=6") == [])
            let body = try await request(.GET, r.base + "/_calldash/reports?limit=1").body
            let item = String(body.dropFirst().dropLast(2))
            #expect(try DeliveryRecord(json: Array(item.utf8)).fields[.mid] == "m-1")
            #expect(try await request(.GET, r.base + "/_calldash/reports?limit=0").status == 400)
            #expect(
                try await request(.GET, r.base + "/_calldash/reports?limit=10001").status == 200, "a larger limit is capped, not refused")
            #expect(try await request(.GET, r.base + "/_calldash/reports?after=x").status == 400)
            #expect(
                try await request(.GET, r.base + "/_calldash/reports?colour=red").json["error"]?.contains("unknown parameter colour")
                    == true)
        }
    }

    @Test("the token guards every endpoint except health")
    func tokenGuardsAPI() async throws {
        try await TestReceiver.run(token: "t0k") { r async throws in
            #expect(try await request(.GET, r.base + "/_calldash/health").status == 200)
            #expect(try await request(.GET, r.base + "/_calldash/reports").status == 401)
            #expect(try await request(.GET, r.base + "/_calldash/metrics").status == 401)
            #expect(try await request(.GET, r.base + "/_calldash/reports", headers: [("Authorization", "Bearer t0k")]).status == 200)
        }
    }

    @Test("API paths are not deliveries: unknown ones are 404 and nothing is recorded")
    func unknownEndpoint() async throws {
        try await TestReceiver.run { r async throws in
            let reply = try await request(.GET, r.base + "/_calldash/nope")
            #expect(reply.status == 404)
            #expect(try await request(.POST, r.base + "/_calldash/health").status == 405)
            #expect(r.recorder.store.snapshot().count == 0)
        }
    }

    @Test("metrics are Prometheus text: delivery counters, the stored gauges, and histograms of handling and journal commit time")
    func metrics() async throws {
        try await TestReceiver.run { r async throws in
            _ = try await postJSON(r.base + "/a", seedReport)
            _ = try await postJSON(r.base + "/a", "[]")
            let reply = try await request(.GET, r.base + "/_calldash/metrics")
            #expect(reply.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(reply.body.contains("# TYPE calldash_deliveries_total counter"))
            #expect(reply.body.contains("calldash_deliveries_total{outcome=\"accepted\"} 1"))
            #expect(reply.body.contains("calldash_deliveries_total{outcome=\"rejected\"} 1"))
            #expect(reply.body.contains("calldash_responses_total{code=\"400\"} 1"))
            #expect(reply.body.contains("calldash_reports_stored_by_status{status=\"ANSWER\"} 1"))
            #expect(reply.body.contains("calldash_reports_stored 2"))
            #expect(reply.body.contains("# TYPE calldash_delivery_seconds histogram"))
            #expect(reply.body.contains("calldash_delivery_seconds_count 2"))
            #expect(reply.body.contains("calldash_journal_commit_seconds_count 2"))
            #expect(reply.body.contains("calldash_journal_refused_total 0"))
            #expect(reply.body.contains("calldash_stream_subscribers 0"))
            #expect(reply.body.contains("calldash_journal_bytes "))
        }
    }

    @Test("the stream sends one server-sent event per new delivery, in order, and can resume after a seq")
    func stream() async throws {
        try await TestReceiver.run { r async throws in
            _ = try await postJSON(r.base + "/a", #"{"mid":"before"}"#)
            let conn = try RawConnection(port: r.port)
            conn.send("GET /_calldash/stream?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let hello = conn.read(until: { $0.contains(": connected") && $0.contains("\"mid\":\"before\"") })
            #expect(hello.text.contains("content-type: text/event-stream"))
            #expect(hello.text.contains("id: 1\nevent: delivery\ndata: {\"seq\":1,"))
            _ = try await postJSON(r.base + "/a", #"{"mid":"live-1"}"#)
            _ = try await postJSON(r.base + "/a", "{broken")
            let live = conn.read(until: { $0.contains("id: 3\n") })
            #expect(live.text.contains("\"mid\":\"live-1\""))
            #expect(live.text.contains("\"outcome\":\"rejected\""))
            let first = try #require(live.text.range(of: "id: 2\n"))
            let second = try #require(live.text.range(of: "id: 3\n"))
            #expect(first.lowerBound < second.lowerBound)
        }
    }
}
