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
            #expect(try await seqs("?mid=M-3") == ["3"], "a field's value, exact, ignoring case")
            #expect(try await seqs("?to=9198") == [], "the whole value, not a part")
            #expect(try await seqs("?status=BUSY&mid=m-5") == ["5"])
            #expect(try await seqs("?after=2&limit=2") == ["3", "4"])
            #expect(try await seqs("?after=6") == [])
            let body = try await request(.GET, r.base + "/_calldash/reports?limit=1").body
            let item = String(body.dropFirst().dropLast(2))
            #expect(try DeliveryRecord(json: Array(item.utf8)).fields[.mid] == "m-1")
            #expect(try await request(.GET, r.base + "/_calldash/reports?limit=0").status == 400)
            #expect(
                try await request(.GET, r.base + "/_calldash/reports?limit=10001").status == 200, "a larger limit is capped, not refused")
            #expect(try await request(.GET, r.base + "/_calldash/reports?limit=99999999999999999999").status == 200, "however large")
            #expect(try await request(.GET, r.base + "/_calldash/reports?limit=-1").status == 400)
            #expect(try await request(.GET, r.base + "/_calldash/reports?after=x").status == 400)
            #expect(
                try await request(.GET, r.base + "/_calldash/reports?colour=red").json["error"]?.contains(
                    "unknown parameter colour (use status, q, outcome, after, limit, or a standard field")
                    == true)
        }
    }

    @Test("one record by its seq: from memory, from the journal once it left memory, 404 with a reason when there is none")
    func recordBySeq() async throws {
        let r = try await TestReceiver.start(capacity: 2)
        do {
            for n in 1...5 { _ = try await postJSON(r.base + "/ack", #"{"status":"ANSWER","mid":"m-\#(n)"}"#) }
            for n in [5, 1, 3] {
                let reply = try await request(.GET, r.base + "/_calldash/reports/\(n)")
                #expect(reply.status == 200 && reply.headers.first(name: "content-type") == "application/json")
                let record = try DeliveryRecord(json: Array(reply.body.utf8.dropLast()))
                #expect(record.seq == UInt64(n) && record.fields[.mid] == "m-\(n)", "seq \(n), held in memory: \(n > 3)")
            }
            let none = try await request(.GET, r.base + "/_calldash/reports/6")
            #expect(none.status == 404 && none.json["error"] == "no delivery with seq 6: the last is 5")
            let bad = try await request(.GET, r.base + "/_calldash/reports/-1")
            #expect(bad.status == 400 && bad.json["error"] == "/_calldash/reports/SEQ needs a seq (a whole number), not \"-1\"")
            #expect(try await request(.GET, r.base + "/_calldash/reports/2x").status == 400)
            #expect(r.recorder.store.counts.received == 5, "asking records nothing")
        } catch {
            await r.stop()
            throw error
        }
        await r.stop()
    }

    @Test("stats count calls, answers and retries over real deliveries, break them down, and a bad parameter is a 400 naming it")
    func stats() async throws {
        try await TestReceiver.run(token: "t0k") { r async throws in
            let auth = [("Authorization", "Bearer t0k")]
            let calls = [("ANSWER", "204", "m1"), ("BUSY", "204", "m2"), ("answer", "205", "m3"), ("ANSWER", "204", "m1")]
            for (status, flow, mid) in calls {
                let body =
                    #"{"status":"\#(status)","flow_id":\#(flow),"mid":"\#(mid)","duration":"40","start_at":"2026-11-27 10:00:00","end_at":"2026-11-27 10:00:40"}"#
                _ = try await postJSON(r.base + "/a", body, headers: auth)
            }
            _ = try await postJSON(r.base + "/a", "{bad", headers: auth)
            let reply = try await request(.GET, r.base + "/_calldash/stats?by=flow_id&series=1m&since=1h", headers: auth)
            #expect(reply.status == 200)
            let o = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            #expect(o["calls"] as? Int == 3 && o["answered"] as? Int == 2, "the retry of m1 is a duplicate, not a call")
            #expect(o["duplicates"] as? Int == 1 && o["rejected"] as? Int == 1 && o["peak_concurrent"] as? Int == 3)
            #expect(o["asr"] as? Double == 0.6667 && o["acd_s"] as? Double == 40)
            #expect((o["statuses"] as? [String: Int]) == ["ANSWER": 2, "BUSY": 1])
            let flows = try #require((o["by"] as? [String: Any])?["flow_id"] as? [[String: Any]])
            #expect(flows.map { $0["value"] as? String } == ["204", "205"] && flows[0]["calls"] as? Int == 2)
            let points = try #require((o["series"] as? [String: Any])?["points"] as? [[String: Any]])
            // The calls came in the last minute, or the one before when the clock just turned it.
            let recent = points.suffix(2).compactMap { $0["calls"] as? Int }.reduce(0, +)
            #expect(points.count == 61 && recent == 3, "an hour of minutes, the last holding the calls")
            let record = try await request(.GET, r.base + "/_calldash/reports?after=3&limit=1", headers: auth).body
            #expect(record.contains(#""duplicate_of":1"#), "the record names the report it repeats")

            #expect(try await request(.GET, r.base + "/_calldash/stats").status == 401)
            for (query, parameter) in [
                ("since=soon", "since"), ("by=colour", "by"), ("series=7m", "series"), ("top=0", "top"), ("x=1", "x")
            ] {
                let bad = try await request(.GET, r.base + "/_calldash/stats?" + query, headers: auth)
                #expect(bad.status == 400 && bad.json["error"]?.hasPrefix(parameter + ": ") == true, "\(query): \(bad.body)")
            }
            let tooFine = try await request(.GET, r.base + "/_calldash/stats?since=30d&series=1m", headers: auth)
            #expect(tooFine.status == 400 && tooFine.json["error"]?.hasPrefix("series: ") == true)
        }
    }

    @Test("the token guards every endpoint except health")
    func tokenGuardsAPI() async throws {
        try await TestReceiver.run(token: "t0k") { r async throws in
            #expect(try await request(.GET, r.base + "/_calldash/health").status == 200)
            #expect(try await request(.GET, r.base + "/_calldash/reports").status == 401)
            #expect(try await request(.GET, r.base + "/_calldash/metrics").status == 401)
            #expect(try await request(.GET, r.base + "/_calldash/reports/1").status == 401)
            #expect(try await request(.GET, r.base + "/_calldash/reports", headers: [("Authorization", "Bearer t0k")]).status == 200)
            // The scheme in any case, and spaces around, as HTTP allows; the token itself exact.
            for given in ["bearer t0k", "BEARER\tt0k ", " Bearer   t0k"] {
                #expect(
                    try await request(.GET, r.base + "/_calldash/reports", headers: [("Authorization", given)]).status == 200, "\(given)")
            }
            for given in ["Bearer T0K", "Bearer t0k x", "Bearert0k", "Basic t0k"] {
                #expect(
                    try await request(.GET, r.base + "/_calldash/reports", headers: [("Authorization", given)]).status == 401, "\(given)")
            }
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
            let hello = await conn.read(until: { $0.contains(": connected") && $0.contains("\"mid\":\"before\"") })
            #expect(hello.text.contains("content-type: text/event-stream"))
            #expect(hello.text.contains("id: 1\nevent: delivery\ndata: {\"seq\":1,"))
            _ = try await postJSON(r.base + "/a", #"{"mid":"live-1"}"#)
            _ = try await postJSON(r.base + "/a", "{broken")
            let live = await conn.read(until: { $0.contains("id: 3\n") })
            #expect(live.text.contains("\"mid\":\"live-1\""))
            #expect(live.text.contains("\"outcome\":\"rejected\""))
            let first = try #require(live.text.range(of: "id: 2\n"))
            let second = try #require(live.text.range(of: "id: 3\n"))
            #expect(first.lowerBound < second.lowerBound)
        }
    }
}
