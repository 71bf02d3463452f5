#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// What replaying a journal found.
public struct ReplayResult: Sendable, Equatable {
    public var records: Int
    /// The highest seq in the journal (0 when empty): the next delivery gets `lastSeq + 1`.
    public var lastSeq: UInt64
    /// Bytes of a torn last line that were cut off.
    public var tornBytes: Int

    public init(records: Int = 0, lastSeq: UInt64 = 0, tornBytes: Int = 0) {
        self.records = records
        self.lastSeq = lastSeq
        self.tornBytes = tornBytes
    }
}

/// Loads a journal into the store at start-up.
public enum JournalReplay {
    /// Reads every record of the journal at `path` (a missing file is an empty journal) into `store`.
    /// A torn last line is cut off with a warning; a bad line with good lines after it is corruption
    /// and an error, because skipping it would silently lose an acknowledged delivery.
    public static func replay(path: String, into store: ReportStore, warn: (String) -> Void) throws(JournalError) -> ReplayResult {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return ReplayResult(records: 0, lastSeq: 0, tornBytes: 0) }
            throw .system("open", path, errno: errno)
        }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        if size == 0 { return ReplayResult(records: 0, lastSeq: 0, tornBytes: 0) }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .system("map", path, errno: errno)
        }
        defer { munmap(map, size) }
        madvise(map, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size)

        var result = ReplayResult(records: 0, lastSeq: 0, tornBytes: 0)
        var batch: [ReportSummary] = []
        batch.reserveCapacity(Self.roundSize)
        var lines: [Line] = []
        lines.reserveCapacity(Self.roundSize)
        var start = 0
        var lineNumber = 0
        let missingNewline = bytes[size - 1] != 0x0A
        rounds: while start < size {
            // Find the next round's lines, then parse them on every core, then store them in order.
            lines.removeAll(keepingCapacity: true)
            while start < size, lines.count < Self.roundSize {
                lineNumber += 1
                let end = memchr(map + start, 0x0A, size - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(map) } ?? size
                if end > start { lines.append(Line(start: start, end: end, number: lineNumber)) }
                start = end + 1
            }
            let parsed = parse(lines, in: bytes)
            for (line, outcome) in zip(lines, parsed) {
                switch outcome {
                case .success(let s):
                    result.lastSeq = max(result.lastSeq, s.seq)
                    result.records += 1
                    batch.append(s)
                case .failure(let error):
                    let isLast = line.end >= size || !bytes[(line.end + 1)...].contains { $0 != 0x0A }
                    guard isLast else {
                        throw JournalError("journal \(path) is corrupt at line \(line.number) (\(error.description)); move it aside or repair that line")
                    }
                    if ftruncate(fd, off_t(line.start)) != 0 { throw .system("truncate the torn last line of", path, errno: errno) }
                    result.tornBytes = size - line.start
                    warn("journal \(path): skipped a torn last line (\(size - line.start) bytes at byte \(line.start): \(error.description))")
                    store.append(contentsOf: batch)
                    return result
                }
            }
            store.append(contentsOf: batch)
            batch.removeAll(keepingCapacity: true)
        }
        if missingNewline {
            // A hand-edited journal may lack its final newline; add it so the next append starts a line.
            var nl: UInt8 = 0x0A
            _ = pwrite(fd, &nl, 1, off_t(size))
        }
        return result
    }

    /// Lines parsed per round: large enough to keep both cores busy, small enough that the
    /// parsed-but-not-stored summaries never take much memory.
    static let roundSize = 8192

    struct Line: Sendable {
        var start: Int
        var end: Int
        var number: Int
    }

    /// Parses `lines` into summaries, split across the machine's cores.
    private static func parse(_ lines: [Line], in bytes: UnsafeBufferPointer<UInt8>) -> [Result<ReportSummary, JSONError>] {
        let workers = max(1, min(lines.count / 512, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        var out = [Result<ReportSummary, JSONError>](repeating: .failure(JSONError("not parsed", at: 0)), count: lines.count)
        out.withUnsafeMutableBufferPointer { results in
            // Safe to share: the journal mapping is read-only while replay runs, and each worker
            // writes only its own disjoint slice of `results`.
            nonisolated(unsafe) let results = results
            nonisolated(unsafe) let bytes = bytes
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in (lines.count * w / workers)..<(lines.count * (w + 1) / workers) {
                    let line = lines[i]
                    results[i] = Result { () throws(JSONError) in
                        try ReportSummary(
                            json: UnsafeBufferPointer(rebasing: bytes[line.start..<line.end]),
                            location: .journal(offset: UInt64(line.start), length: UInt32(line.end - line.start)))
                    }
                }
            }
        }
        return out
    }
}
