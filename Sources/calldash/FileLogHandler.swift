import CallDashCore
import Foundation
import Logging
import Synchronization

/// swift-log to a file: the dashboard owns the terminal, so its logs must go elsewhere.
struct FileLogHandler: LogHandler {
    /// One open file shared by every logger; the lock keeps lines whole.
    final class Sink: Sendable {
        let fd: Int32
        let lock = Mutex(())

        init(path: String) throws {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure("cannot open the log file \(path): \(String(cString: strerror(errno)))") }
        }

        func write(_ line: String) {
            lock.withLock { _ in Output.write(Array(line.utf8), fd: fd) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Timestamp.now().iso8601) \(event.level) \(label): \(event.message)\(meta)\n")
    }
}
