import ArgumentParser
import CallDashCore
import Foundation

/// `GET /_calldash/reports?q=TEXT` without HTTP: the recorder's text search over a journal of
/// realistic deliveries, against a plain line scan of the same file in the same run.
struct SearchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Time q= text searches over a journal.")

    @Option(help: "Deliveries in the journal.")
    var count = 1_000_000

    @Option(help: "Journal file to create (reused when it already has --count lines).")
    var path = "/tmp/calldash-bench/journal.jsonl"

    @Option(help: "Runs of each search (the median is printed).")
    var runs = 3

    func run() throws {
        try BenchJournal.ensure(path: path, count: count)
        let store = ReportStore(capacity: count)
        let result = try JournalReplay.replay(path: path, into: store) { print("warning: \($0)") }
        let recorder = Recorder(store: store, journal: try Journal(path: path), lastSeq: result.lastSeq)
        func median(_ body: () throws -> Void) rethrows -> Duration {
            var times: [Duration] = []
            for _ in 0..<runs {
                let start = ContinuousClock.now
                try body()
                times.append(ContinuousClock.now - start)
            }
            return times.sorted()[times.count / 2]
        }
        let baseline = try median { _ = try BenchJournal.countLines(path) }
        print("journal: \(result.records) records; baseline line scan of the file: \(JournalBench.ms(baseline)) ms")
        let lastMid = (try? recorder.record(for: store.snapshot()[store.snapshot().count - 1]))?.fields[.mid] ?? "none"
        for (label, text, limit) in [
            ("no match (reads every record)", "zz-no-such-text", 1000), ("one match, the newest call", lastMid, 1000),
            ("common text, first page of 1000", "answer", 1000)
        ] {
            var hits = 0
            let t = median { hits = recorder.lines(matching: ReportQuery(text: text), limit: limit).lines.count }
            print(
                String(
                    format: "q=%@ (%@): %d ms, %d found, %.2fx the line scan", text, label, JournalBench.ms(t), hits,
                    t.seconds / baseline.seconds))
            print("RESULT search_\(label.split(separator: " ").first ?? "")_ms=\(JournalBench.ms(t))")
        }
    }
}
