import CallDashCore
import Foundation

/// The journal the store and UI benchmarks run on, made once and reused.
enum BenchJournal {
    /// Writes `count` realistic deliveries through the real recorder (same lines `serve` writes).
    static func ensure(path: String, count: Int) throws {
        if FileManager.default.fileExists(atPath: path), (try? countLines(path)) == count { return }
        try? FileManager.default.removeItem(atPath: path)
        let journal = try Journal(path: path)
        let recorder = Recorder(store: ReportStore(capacity: 1), journal: journal, lastSeq: 0)
        var generator = SyntheticReports(seed: 42)
        let parser = DeliveryParser()
        let base = Timestamp(millis: 1_790_000_000_000)
        for i in 0..<count {
            let now = Timestamp(millis: base.millis + Int64(i) * 50)
            let body = generator.next(now: now)
            let parsed = try parser.parse(query: [], contentType: "application/json", body: body)
            let headers = [
                NameValue("Host", "calldash.example.net"), NameValue("User-Agent", "Provider-Webhook/2.1"),
                NameValue("Content-Type", "application/json"), NameValue("Content-Length", String(body.count)),
                NameValue("Accept", "*/*")
            ]
            try recorder.record(
                DeliveryRecord(
                    receivedAt: now, method: "POST", path: "/ack/receive", headers: headers, remote: "10.1.2.3:54012",
                    contentType: "application/json", fields: parsed.fields, extra: parsed.extra, raw: body))
        }
    }

    static func countLines(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var n = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            n += chunk.withUnsafeBytes { p in p.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } }
        }
        return n
    }
}
