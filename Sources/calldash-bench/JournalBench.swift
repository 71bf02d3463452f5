import ArgumentParser
import CallDashCore
import Foundation

/// Memory per stored report and journal replay time, on a journal of realistic deliveries.
struct JournalBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "Measure replay time and resident bytes per stored report.")

    @Option(help: "Deliveries in the journal.")
    var count = 1_000_000

    @Option(help: "Journal file to create (reused when it already has --count lines).")
    var path = "/tmp/calldash-bench/journal.jsonl"

    @Flag(help: "Delete the journal's index first, so replay parses every line (a first start, or a lost index).")
    var full = false

    func run() throws {
        try BenchJournal.ensure(path: path, count: count)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // Baseline in the same run: just finding the line ends of the same file.
        let baselineStart = ContinuousClock.now
        let lines = try BenchJournal.countLines(path)
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
        print(
            "replay \(full ? "parsing every line" : "from the index"): \(Self.ms(replay)) ms (\(String(format: "%.0f", Double(result.records) / replay.seconds)) records/s); baseline line scan \(Self.ms(baseline)) ms; ratio \(String(format: "%.1f", replay.seconds / baseline.seconds))x"
        )
        print(
            "memory: \(String(format: "%.0f", perReport)) resident bytes per stored report (\(store.snapshot().count) stored, RSS +\((rssAfter - rssBefore) / 1_048_576) MiB)"
        )
        print("RESULT replay_ms=\(Self.ms(replay)) bytes_per_report=\(String(format: "%.0f", perReport))")
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
