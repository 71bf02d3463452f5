#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The journal's index: the packed in-memory summary of every journal line, in a file beside
/// it (`journal.jsonl.idx`), written in the same commits as the journal.
///
/// Replaying a million-line journal means parsing a gigabyte of JSON; loading its index is
/// copying 200 MB. The index is only an accelerator, and a file like any other input: every entry
/// is checked in full (`SummaryCodec.isValidJournalEntry`) and against the line it points at
/// (`{"seq":N,` at its offset, a newline at its end); from the first entry that fails, the rest
/// is rebuilt from the journal itself.
///
/// Format: the magic line, then entries of a little-endian u32 length, a u32 check of the
/// summary's bytes (so bit rot inside an entry is noticed, not loaded) and the packed summary.
public enum JournalIndex {
    static let magic: [UInt8] = Array("calldash-index 3\n".utf8)
    static let entryHeader = 8
    private static let blankHeader = [UInt8](repeating: 0, count: entryHeader)

    public static func path(for journal: String) -> String { journal + ".idx" }

    /// Appends one packed summary as an index entry.
    static func appendEntry(_ packed: [UInt8], to out: inout [UInt8]) {
        appendEntry(to: &out) { $0.append(contentsOf: packed) }
    }

    /// Appends an entry whose summary `pack` writes in place; returns where the summary lies.
    @discardableResult
    static func appendEntry(to out: inout [UInt8], _ pack: (inout [UInt8]) -> Void) -> Range<Int> {
        let lengthAt = out.count
        out.append(contentsOf: blankHeader) // length and check, filled in below
        pack(&out)
        let body = (lengthAt + entryHeader)..<out.count
        let n = UInt32(body.count)
        let check = out.withUnsafeBufferPointer { p -> UInt32 in Self.check(UnsafeBufferPointer(rebasing: p[body])) }
        for k in 0..<4 {
            out[lengthAt + k] = UInt8(truncatingIfNeeded: n >> (8 * k))
            out[lengthAt + 4 + k] = UInt8(truncatingIfNeeded: check >> (8 * k))
        }
        return body
    }

    /// A 32-bit check of an entry's bytes, eight at a time (a multiply-xorshift mix): cheap next
    /// to copying the entry, and any flipped bit changes it.
    static func check(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(p)
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        for k in i..<p.count { tail |= UInt64(p[k]) << (8 * UInt64(k - i)) }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// What loading the index found.
    struct Loaded {
        var records = 0
        var lastSeq: UInt64 = 0
        /// Where the journal lines not covered by the index begin.
        var journalResume = 0
        /// Bytes of the index file that are valid (a torn last entry is cut off).
        var validBytes = 0
        /// Why loading stopped before the end of the index (a damaged entry), if it did.
        var problem: String?
        /// The forward lines between the entries' lines (they have no entries): the last of each delivery's.
        var forwards = ForwardOutcomes()
        /// The journal lines covered: the entries' and the forward lines between them.
        var lines = 0
    }

    /// Loads the index into `store` if every entry matches `journal`; nil (and nothing loaded)
    /// when there is no usable index: missing, another format, or pointing at other lines.
    static func load(_ path: String, journal: UnsafeBufferPointer<UInt8>, into store: ReportStore) -> Loaded? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        guard size >= magic.count, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, size) }
        madvise(map, size, MADV_SEQUENTIAL)
        let bytes = UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size)
        guard bytes[0..<magic.count].elementsEqual(magic) else { return nil }

        // First check every entry, then load the good ones: the journal's lines after the last
        // good entry are parsed instead.
        var loaded = Loaded(validBytes: magic.count)
        var i = magic.count
        while i + entryHeader <= size {
            let n = Int(u32(bytes, i))
            // A torn last entry (or a damaged length): the journal's lines from here cover it.
            guard n > 0, n <= size - i - entryHeader else { break }
            let entry = UnsafeBufferPointer(rebasing: bytes[(i + entryHeader)..<(i + entryHeader + n)])
            guard check(entry) == u32(bytes, i + 4), SummaryCodec.isValidJournalEntry(entry),
                let (seq, offset, length) = SummaryCodec.journalLocation(entry)
            else {
                loaded.problem = "entry \(loaded.records + 1) is damaged"
                break
            }
            // Lines between two entries' lines may only be forward attempts (read here).
            guard offset >= UInt64(loaded.journalResume), offset < UInt64(journal.count),
                seq > loaded.lastSeq || loaded.records == 0,
                matches(journal, seq: seq, offset: Int(offset), length: Int(length)),
                let gap = forwardLines(journal, loaded.journalResume..<Int(offset), through: loaded.lastSeq, into: &loaded.forwards)
            else {
                loaded.problem = "entry \(loaded.records + 1) (seq \(seq)) does not match line \(loaded.lines + 1) of the journal"
                break
            }
            loaded.records += 1
            loaded.lines += gap + 1
            loaded.lastSeq = seq
            loaded.forwards.prune(capacity: store.capacity, lastSeq: seq)
            loaded.journalResume = Int(offset + length) + 1
            i += entryHeader + n
            loaded.validBytes = i
        }
        var batch: [UnsafeBufferPointer<UInt8>] = []
        batch.reserveCapacity(8192)
        i = magic.count
        while i < loaded.validBytes {
            let n = Int(u32(bytes, i))
            batch.append(UnsafeBufferPointer(rebasing: bytes[(i + entryHeader)..<(i + entryHeader + n)]))
            if batch.count == 8192 {
                store.append(packed: batch)
                batch.removeAll(keepingCapacity: true)
            }
            i += entryHeader + n
        }
        store.append(packed: batch)
        return loaded
    }

    /// Reads the forward lines in `range` of the journal into `forwards` and counts them; nil
    /// when it holds any other line.
    private static func forwardLines(
        _ journal: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, through lastSeq: UInt64, into forwards: inout ForwardOutcomes
    )
        -> Int?
    {
        var count = 0
        var start = range.lowerBound
        while start < range.upperBound {
            guard let end = journal[start..<range.upperBound].firstIndex(of: 0x0A) else { return nil }
            let line = UnsafeBufferPointer(rebasing: journal[start..<end])
            guard ForwardAttempt.isForwardLine(line), let attempt = try? ForwardAttempt(json: line) else { return nil }
            // A forward line follows its delivery's: one naming a later seq is no one's.
            if attempt.seq <= lastSeq { forwards.note(attempt) }
            count += 1
            start = end + 1
        }
        return count
    }

    private static func u32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    /// Whether the journal has, at `offset`, the line of record `seq`, ending after `length` bytes.
    private static func matches(_ journal: UnsafeBufferPointer<UInt8>, seq: UInt64, offset: Int, length: Int) -> Bool {
        guard length > 10, offset + length < journal.count, journal[offset + length] == 0x0A else { return false }
        let prefix = Array("{\"seq\":\(seq),".utf8)
        guard prefix.count <= length else { return false }
        return memcmp(journal.baseAddress! + offset, prefix, prefix.count) == 0
    }
}
