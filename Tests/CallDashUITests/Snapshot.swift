import Foundation
import Testing

/// Compares screen text with a file under Snapshots/. `CALLDASH_RECORD_SNAPSHOTS=1` rewrites
/// the files instead (then review the diff before committing).
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = dir.appendingPathComponent(name + ".txt")
    // Trailing spaces are kept but marked, so the files survive editors that strip them.
    let rendered = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "|" }.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["CALLDASH_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try! rendered.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt: run with CALLDASH_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if expected != rendered {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let r = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, r).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, r.count)
        Issue.record(
            "screen differs from \(name).txt at line \(first + 1):\nexpected: \(first < e.count ? e[first] : "")\nactual:   \(first < r.count ? r[first] : "")\n\nwhole screen:\n\(rendered)",
            sourceLocation: sourceLocation)
    }
}
