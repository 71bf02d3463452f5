#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        batch.reserveCapacity(4096)
        var start = 0
        var lineNumber = 0
        var missingNewline = false
        while start < size {
            lineNumber += 1
            let end = memchr(map + start, 0x0A, size - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(map) } ?? size
            defer { start = end + 1 }
            if end == start { continue }
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            do throws(JSONError) {
                let s = try ReportSummary(json: line, location: .journal(offset: UInt64(start), length: UInt32(end - start)))
                result.lastSeq = max(result.lastSeq, s.seq)
                result.records += 1
                batch.append(s)
                if batch.count == 4096 {
                    store.append(contentsOf: batch)
                    batch.removeAll(keepingCapacity: true)
                }
                if end == size { missingNewline = true }
            } catch {
                let isLast = end >= size || !bytes[(end + 1)...].contains { $0 != 0x0A }
                guard isLast else {
                    throw JournalError("journal \(path) is corrupt at line \(lineNumber) (\(error.description)); move it aside or repair that line")
                }
                if ftruncate(fd, off_t(start)) != 0 { throw .system("truncate the torn last line of", path, errno: errno) }
                result.tornBytes = size - start
                warn("journal \(path): skipped a torn last line (\(size - start) bytes at byte \(start): \(error.description))")
                break
            }
        }
        store.append(contentsOf: batch)
        if missingNewline {
            // A hand-edited journal may lack its final newline; add it so the next append starts a line.
            var nl: UInt8 = 0x0A
            _ = pwrite(fd, &nl, 1, off_t(size))
        }
        return result
    }
}
