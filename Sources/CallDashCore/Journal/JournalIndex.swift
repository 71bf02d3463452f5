#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal's index: the packed in-memory summary of every journal line, in a file beside
/// it (`journal.jsonl.idx`), written in the same commits as the journal.
///
/// Replaying a million-line journal means parsing a gigabyte of JSON; loading its index is
/// copying 200 MB. The index is only an accelerator: every entry is checked against the line it
/// points at (`{"seq":N,` at its offset, a newline at its end), and at the first mismatch the
/// index is thrown away and rebuilt from the journal itself.
///
/// Format: the magic line, then entries of a little-endian u32 length and a packed summary.
public enum JournalIndex {
    static let magic: [UInt8] = Array("calldash-index 1\n".utf8)

    public static func path(for journal: String) -> String { journal + ".idx" }

    /// Appends one packed summary as an index entry.
    static func appendEntry(_ packed: [UInt8], to out: inout [UInt8]) {
        appendEntry(to: &out) { $0.append(contentsOf: packed) }
    }

    /// Appends an entry whose summary `pack` writes in place; returns where the summary lies.
    @discardableResult
    static func appendEntry(to out: inout [UInt8], _ pack: (inout [UInt8]) -> Void) -> Range<Int> {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        pack(&out)
        let n = UInt32(out.count - lengthAt - 4)
        for k in 0..<4 { out[lengthAt + k] = UInt8(truncatingIfNeeded: n >> (8 * k)) }
        return (lengthAt + 4)..<out.count
    }

    /// What loading the index found.
    struct Loaded {
        var records = 0
        var lastSeq: UInt64 = 0
        /// Where the journal lines not covered by the index begin.
        var journalResume = 0
        /// Bytes of the index file that are valid (a torn last entry is cut off).
        var validBytes = 0
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

        // First check every entry against the journal, then load: a bad index loads nothing.
        var loaded = Loaded(validBytes: magic.count)
        var i = magic.count
        while i + 4 <= size {
            let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            guard n > 0, i + 4 + n <= size else { break } // a torn last entry: the journal tail covers it
            let entry = UnsafeBufferPointer(rebasing: bytes[(i + 4)..<(i + 4 + n)])
            guard let (seq, offset, length) = SummaryCodec.journalLocation(entry),
                  Int(offset) == loaded.journalResume,
                  matches(journal, seq: seq, offset: Int(offset), length: Int(length)) else { return nil }
            loaded.records += 1
            loaded.lastSeq = max(loaded.lastSeq, seq)
            loaded.journalResume = Int(offset + length) + 1
            i += 4 + n
            loaded.validBytes = i
        }
        var batch: [UnsafeBufferPointer<UInt8>] = []
        batch.reserveCapacity(8192)
        i = magic.count
        while i < loaded.validBytes {
            let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            batch.append(UnsafeBufferPointer(rebasing: bytes[(i + 4)..<(i + 4 + n)]))
            if batch.count == 8192 {
                store.append(packed: batch)
                batch.removeAll(keepingCapacity: true)
            }
            i += 4 + n
        }
        store.append(packed: batch)
        return loaded
    }

    /// Whether the journal has, at `offset`, the line of record `seq`, ending after `length` bytes.
    private static func matches(_ journal: UnsafeBufferPointer<UInt8>, seq: UInt64, offset: Int, length: Int) -> Bool {
        guard length > 10, offset + length < journal.count, journal[offset + length] == 0x0A else { return false }
        let prefix = Array("{\"seq\":\(seq),".utf8)
        guard prefix.count <= length else { return false }
        return memcmp(journal.baseAddress! + offset, prefix, prefix.count) == 0
    }
}
