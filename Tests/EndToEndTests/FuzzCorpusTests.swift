import Foundation
import Testing

/// The fuzz targets' checked-in corpus (seeds, and every input that once crashed a reader) run
/// through the ordinary build, so a reader that breaks on one of them fails the suite.
@Suite("Inputs the fuzzers found or were seeded with never crash their reader")
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(
        "every corpus file runs through its reader",
        arguments: [
            "json", "form", "delivery", "template", "theme", "webhook", "journal-line", "index-entry", "pretty-body", "stats", "replay",
            "journal-seek"
        ])
    func corpusRuns(target: String) async throws {
        let folder = Self.root.appendingPathComponent("fuzz/corpus/\(target)").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        #expect(!files.isEmpty)
        let p = Process()
        p.executableURL = Self.root.appendingPathComponent(".build/debug/calldash-fuzz")
        p.arguments = [target] + files
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // Read as it comes (a full pipe would stall the reader) and wait as a task, not a blocked thread.
        let reading = onItsOwnThread { out.fileHandleForReading.readDataToEndOfFile() }
        while p.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let text = String(decoding: await reading(), as: UTF8.self)
        #expect(p.terminationStatus == 0)
        #expect(text == "\(target): \(files.count) inputs ran\n")
    }
}
