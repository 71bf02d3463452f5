import ArgumentParser
import CallDashCore
import Foundation

/// Memory per stored report and journal replay time, on a journal of realistic deliveries.
struct JournalBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journal", abstract: "Measure replay time and resident bytes per stored report.")

    @Option(help: "Deliveries in the journal.")
    var count = 1_000_000

    @Option(help: "Journal file to create (reused when it already has --count lines).")
    var path = "/tmp/calldash-bench/journal.jsonl"

    @Flag(help: "Delete the journal's index first, so replay parses every line (a first start, or a lost index).")
    var full = false

    func run() throws {
        try ensureJournal()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // Baseline in the same run: just finding the line ends of the same file.
        let baselineStart = ContinuousClock.now
        let lines = try countLines()
        let baseline = ContinuousClock.now - baselineStart

        if full { unlink(JournalIndex.path(for: path)) }
        let rssBefore = Self.residentBytes()
        let store = ReportStore(capacity: count)
        let start = ContinuousClock.now
        let result = try JournalReplay.replay(path: path, into: store) { print("warning: \($0)") }
        let replay = ContinuousClock.now - start
        let rssAfter = Self.residentBytes()
        let perReport = Double(rssAfter - rssBefore) / Double(result.records)
        let mb = Double(size) / 1_048_576

        print("journal: \(result.records) records, \(String(format: "%.0f", mb)) MiB (\(lines) lines)")
        print("replay \(full ? "parsing every line" : "from the index"): \(Self.ms(replay)) ms (\(String(format: "%.0f", Double(result.records) / replay.seconds)) records/s); baseline line scan \(Self.ms(baseline)) ms; ratio \(String(format: "%.1f", replay.seconds / baseline.seconds))x")
        print("memory: \(String(format: "%.0f", perReport)) resident bytes per stored report (\(store.snapshot().count) stored, RSS +\((rssAfter - rssBefore) / 1_048_576) MiB)")
        print("RESULT replay_ms=\(Self.ms(replay)) bytes_per_report=\(String(format: "%.0f", perReport))")
    }

    /// Writes `count` realistic deliveries through the real recorder (same lines `serve` writes).
    private func ensureJournal() throws {
        if FileManager.default.fileExists(atPath: path), (try? countLines()) == count { return }
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
                NameValue("Accept", "*/*"),
            ]
            try recorder.record(DeliveryRecord(
                receivedAt: now, method: "POST", path: "/ack/receive", headers: headers, remote: "10.1.2.3:54012",
                contentType: "application/json", fields: parsed.fields, extra: parsed.extra, raw: body))
        }
    }

    private func countLines() throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var n = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            n += chunk.withUnsafeBytes { p in p.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } }
        }
        return n
    }

    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func ms(_ d: Duration) -> Int { Int(d.seconds * 1000) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
