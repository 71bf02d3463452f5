import Dispatch

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
    /// The last forward attempt of each delivery forwarded (`forward_of` lines).
    public var forwards: ForwardOutcomes

    public init(records: Int = 0, lastSeq: UInt64 = 0, tornBytes: Int = 0, forwards: ForwardOutcomes = ForwardOutcomes()) {
        self.records = records
        self.lastSeq = lastSeq
        self.tornBytes = tornBytes
        self.forwards = forwards
    }
}

/// Loads a journal into the store at start-up: from its index where that matches the journal,
/// parsing (on every core) only the lines the index does not cover.
public enum JournalReplay {
    /// Reads every record of the journal at `path` (a missing file is an empty journal) into `store`.
    /// A torn last line is cut off with a warning; a bad line with good lines after it is corruption
    /// and an error, because skipping it would silently lose an acknowledged delivery.
    ///
    /// `readOnly` reads a journal that a receiver may be writing (`calldash stats --journal`):
    /// nothing is written, an incomplete last line is only left out, and a missing file is an error.
    public static func replay(path: String, into store: ReportStore, readOnly: Bool = false, warn: (String) -> Void) throws(JournalError)
        -> ReplayResult
    {
        let indexPath = JournalIndex.path(for: path)
        let fd = open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC)
        if fd < 0 {
            guard errno == ENOENT, !readOnly else { throw .system("open", path, errno: errno) }
            unlink(indexPath) // an index without its journal describes nothing
            return ReplayResult()
        }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        if size == 0 {
            if !readOnly { unlink(indexPath) }
            return ReplayResult()
        }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .system("map", path, errno: errno)
        }
        defer { munmap(map, size) }
        madvise(map, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size)

        var result = ReplayResult()
        var start = 0
        var lineNumber = 0 // lines the index covered (the journal has no blank lines)
        let index: Int32
        if let loaded = JournalIndex.load(indexPath, journal: bytes, into: store) {
            // Only the lines after what the index covers need parsing (normally none).
            result.records = loaded.records
            result.lastSeq = loaded.lastSeq
            result.forwards = loaded.forwards
            lineNumber = loaded.lines
            start = loaded.journalResume
            if let problem = loaded.problem {
                warn("journal index \(indexPath): \(problem); rebuilding it from line \(loaded.lines + 1) of the journal")
            }
            if readOnly {
                index = -1
            } else {
                index = open(indexPath, O_WRONLY | O_CLOEXEC)
                ftruncate(index, off_t(loaded.validBytes))
                lseek(index, 0, SEEK_END)
            }
        } else if readOnly {
            index = -1
        } else {
            if access(indexPath, F_OK) == 0 { warn("journal index \(indexPath) does not match the journal; rebuilding it") }
            index = open(indexPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            _ = FileDescriptorOutput.writeAll(index, JournalIndex.magic)
        }
        defer { if index >= 0 { close(index) } }
        var lines: [Line] = []
        lines.reserveCapacity(Self.roundSize)
        let missingNewline = bytes[size - 1] != 0x0A
        while start < size {
            // Find the next round's lines, parse and pack them on every core, then store them in order.
            lines.removeAll(keepingCapacity: true)
            while start < size, lines.count < Self.roundSize {
                lineNumber += 1
                let end = memchr(map + start, 0x0A, size - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(map) } ?? size
                if end > start { lines.append(Line(start: start, end: end, number: lineNumber)) }
                start = end + 1
            }
            let parts = parse(lines, in: bytes)
            var torn: (line: Line, error: JSONError)?
            checking: for part in parts {
                for (line, outcome) in zip(lines[part.lines], part.outcomes) {
                    switch outcome {
                    case .forward(let attempt):
                        // A forward line follows its delivery's: one naming a later seq is no one's.
                        guard attempt.seq <= result.lastSeq else { continue }
                        result.forwards.note(attempt)
                        result.forwards.prune(capacity: store.capacity, lastSeq: result.lastSeq)
                    case .delivery(let entry):
                        // Seqs only grow: a line that goes back is damage (or journals mixed by hand).
                        guard result.records == 0 || entry.seq > result.lastSeq else {
                            throw JournalError(
                                "journal \(path) is corrupt at line \(line.number) (seq \(entry.seq) does not follow seq \(result.lastSeq)); move it aside or repair that line"
                            )
                        }
                        result.lastSeq = entry.seq
                        result.records += 1
                    case .damaged(let error):
                        // Only a last line without its newline is a torn write; a complete line
                        // that does not parse is damage, and never cut away.
                        guard line.end >= size else {
                            throw JournalError(
                                "journal \(path) is corrupt at line \(line.number) (\(error.description)); move it aside or repair that line"
                            )
                        }
                        torn = (line, error)
                        break checking
                    }
                }
            }
            // A torn line packed nothing and is the journal's last, so every packed entry is good.
            for part in parts {
                part.packed.withUnsafeBufferPointer { p in
                    store.append(
                        packed: part.outcomes.compactMap { outcome in
                            guard case .delivery(let entry) = outcome else { return nil }
                            return UnsafeBufferPointer(rebasing: p[entry.summary])
                        })
                }
                if index >= 0 { _ = FileDescriptorOutput.writeAll(index, part.packed) }
            }
            if let (line, error) = torn {
                if readOnly {
                    // A receiver may be writing it this moment: left out, and said.
                    result.tornBytes = size - line.start
                    warn(
                        "journal \(path): left out an incomplete last line (\(size - line.start) bytes: \(error.description); a receiver may be writing it)"
                    )
                    return result
                }
                if ftruncate(fd, off_t(line.start)) != 0 { throw .system("truncate the torn last line of", path, errno: errno) }
                result.tornBytes = size - line.start
                warn("journal \(path): skipped a torn last line (\(size - line.start) bytes at byte \(line.start): \(error.description))")
                try checkRoom(result, path)
                return result
            }
        }
        try checkRoom(result, path)
        if missingNewline, !readOnly {
            // A hand-edited journal may lack its final newline; add it so the next append starts a line.
            var nl: UInt8 = 0x0A
            guard pwrite(fd, &nl, 1, off_t(size)) == 1 else { throw .system("end the last line of", path, errno: errno) }
        }
        return result
    }

    /// The next delivery needs a seq: a journal that ends at the largest one cannot go on.
    private static func checkRoom(_ result: ReplayResult, _ path: String) throws(JournalError) {
        guard result.lastSeq < Recorder.maxSeq else {
            throw JournalError("journal \(path) ends at seq \(result.lastSeq), the largest a seq may be; start a new journal")
        }
    }

    /// Lines parsed per round: large enough to keep both cores busy, small enough that the
    /// parsed-but-not-stored summaries never take much memory.
    static let roundSize = 8192

    struct Line: Sendable {
        var start: Int
        var end: Int
        var number: Int
    }

    /// One worker's share of a round: its lines' summaries packed as index entries, in line order.
    struct ParsedPart {
        struct Entry {
            var seq: UInt64
            /// Where the summary lies in `packed` (after its entry header).
            var summary: Range<Int>
        }
        /// What one line is.
        enum Outcome {
            case delivery(Entry)
            case forward(ForwardAttempt)
            case damaged(JSONError)
        }
        var lines: Range<Int>
        var packed: [UInt8] = []
        var outcomes: [Outcome] = []
    }

    /// Parses `lines` and packs their summaries, split across the machine's cores: packing there
    /// too leaves only the seq check and the copies to the one thread that stores them.
    private static func parse(_ lines: [Line], in bytes: UnsafeBufferPointer<UInt8>) -> [ParsedPart] {
        let workers = max(1, min(lines.count / 512, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        var parts = [ParsedPart](repeating: ParsedPart(lines: 0..<0), count: workers)
        parts.withUnsafeMutableBufferPointer { parts in
            // Safe to share: the journal mapping is read-only while replay runs, and each worker
            // writes only its own element of `parts`.
            nonisolated(unsafe) let parts = parts
            nonisolated(unsafe) let bytes = bytes
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var part = ParsedPart(lines: (lines.count * w / workers)..<(lines.count * (w + 1) / workers))
                part.outcomes.reserveCapacity(part.lines.count)
                part.packed.reserveCapacity(part.lines.count * 256)
                for line in lines[part.lines] {
                    let text = UnsafeBufferPointer(rebasing: bytes[line.start..<line.end])
                    do throws(JSONError) {
                        if ForwardAttempt.isForwardLine(text) {
                            part.outcomes.append(.forward(try ForwardAttempt(json: text)))
                            continue
                        }
                        let s = try ReportSummary(
                            json: text, location: .journal(offset: UInt64(line.start), length: UInt32(line.end - line.start)))
                        let summary = JournalIndex.appendEntry(to: &part.packed) { SummaryCodec.encode(s, into: &$0) }
                        part.outcomes.append(.delivery(ParsedPart.Entry(seq: s.seq, summary: summary)))
                    } catch {
                        part.outcomes.append(.damaged(error))
                    }
                }
                parts[w] = part
            }
        }
        return parts
    }
}
