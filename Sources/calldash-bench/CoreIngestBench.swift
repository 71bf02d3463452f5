import ArgumentParser
import CallDashCore
import Foundation

/// Cost of each step a delivery takes through the core, without HTTP, to see where time goes.
struct CoreIngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core", abstract: "Time the core steps of one delivery (parse, encode, journal, store).")

    @Option var count = 200_000

    func run() throws {
        let body = Array(
            #"{"bridge": 918068280000, "from": 918919520000, "to": 918867130000, "source": "OBD", "mid": "1234-1333-00042", "flow_id": 123, "start_at": "2021-04-09 16:27:39", "end_at": "2021-04-09 16:27:55", "duration": "23", "status": "ANSWER", "recording_url": "https://youraudiofilelocation/"}"#
                .utf8)
        let parser = DeliveryParser()
        let headers = [
            NameValue("Host", "127.0.0.1:8080"), NameValue("Content-Type", "application/json"), NameValue("Content-Length", "300")
        ]
        let dir = NSTemporaryDirectory() + "calldash-core-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try Journal(path: dir + "/j.jsonl")
        let store = ReportStore(capacity: count)
        let recorder = Recorder(store: store, journal: journal, lastSeq: 0)

        func time(_ name: String, _ body: () throws -> Void) rethrows {
            let start = ContinuousClock.now
            for _ in 0..<count { try body() }
            let d = ContinuousClock.now - start
            print("\(name): \(String(format: "%.2f", d.seconds * 1e6 / Double(count))) µs")
        }
        var parsed = try parser.parse(query: [], contentType: "application/json", body: body)
        try time("parse") { parsed = try parser.parse(query: [], contentType: "application/json", body: body) }
        let record = DeliveryRecord(
            receivedAt: Timestamp(millis: 1_790_000_000_000), method: "POST", path: "/ack", headers: headers,
            remote: "127.0.0.1:5000", contentType: "application/json", fields: parsed.fields, raw: body)
        time("encode line") { _ = record.json() }
        time("store append") { store.append(ReportSummary(record, location: .journal(offset: 0, length: 1))) }
        try time("recorder.record (encode+journal+store)") { try recorder.record(record) }
        time("timestamp") { _ = Timestamp(millis: 1_790_000_000_000).iso8601 }
    }
}
