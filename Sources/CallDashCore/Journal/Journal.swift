import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The append-only JSON Lines journal: one delivery record per line, written before the reply.
///
/// Appends are buffered and the recorder writes everything buffered in one `write(2)`: the
/// receiver commits once per event-loop pass, before any of that pass's replies go out, so many
/// deliveries share a system call and every acknowledged one is in the kernel (it survives
/// `kill -9`). A write that fails is rolled back to the last complete line, so the file never
/// holds a torn fragment for the next line to be glued onto. The recorder serializes every call
/// that changes the file (appends under its lock, writes and rollbacks under its write lock).
public final class Journal: Sendable {
    public let path: String
    public let fsyncEnabled: Bool
    private let writeFD: Int32
    private let readFD: Int32
    /// The index beside the journal (see `JournalIndex`).
    private let indexFD: Int32
    private let state: Mutex<State>

    private struct State: Sendable {
        /// Bytes appended (written or buffered); the next line starts here.
        var end: UInt64
        /// Bytes of whole lines in the file: where a failed write is rolled back to.
        var written: UInt64
        /// The index file's size when `written` was last reached.
        var indexWritten: UInt64
        /// Bytes known to be on disk (fsync mode), and the index size at that point.
        var synced: UInt64
        var indexSynced: UInt64
        /// Appended lines not written yet.
        var pending: [UInt8] = []
        /// Their index entries, written right after them.
        var pendingIndex: [UInt8] = []
        /// Emptied buffers from the last write, swapped in so that no write allocates.
        var spare: [UInt8] = []
        var spareIndex: [UInt8] = []
        /// Bumped by every roll back to `synced`: an fsync that started before one must not move
        /// `synced` past the cut.
        var generation = 0
        /// A failed write may have left part of a line: nothing is written until it is cut off.
        var tornTail = false
        /// A problem with the file itself (deleted or cut short under us), reported once.
        var fileProblem: String?
    }

    /// Lines taken from the buffer to be written in one go.
    struct Batch {
        var lines: [UInt8]
        var index: [UInt8]
    }

    /// Opens (creating it and its folder) the journal for appending.
    public init(path: String, fsync: Bool = false) throws(JournalError) {
        self.path = path
        self.fsyncEnabled = fsync
        try Self.makeParentDirectory(of: path)
        let w = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard w >= 0 else { throw .system("open", path, errno: errno) }
        let r = open(path, O_RDONLY | O_CLOEXEC)
        guard r >= 0 else {
            let e = errno
            close(w)
            throw .system("read", path, errno: e)
        }
        guard flock(w, LOCK_EX | LOCK_NB) == 0 else {
            close(w)
            close(r)
            throw JournalError("journal \(path) is in use by another calldash")
        }
        let x = open(JournalIndex.path(for: path), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        var ist = stat()
        if x >= 0, fstat(x, &ist) == 0, ist.st_size == 0 {
            if FileDescriptorOutput.writeAll(x, JournalIndex.magic) == 0 { ist.st_size = off_t(JournalIndex.magic.count) }
        }
        var st = stat()
        fstat(w, &st)
        writeFD = w
        readFD = r
        indexFD = x
        let size = UInt64(st.st_size)
        let indexSize = x >= 0 ? UInt64(ist.st_size) : 0
        state = Mutex(State(end: size, written: size, indexWritten: indexSize, synced: size, indexSynced: indexSize))
    }

    deinit {
        close(writeFD)
        close(readFD)
        if indexFD >= 0 { close(indexFD) }
    }

    /// Bytes appended so far.
    public var size: UInt64 { state.withLock { $0.end } }

    /// Buffers `line` plus a newline and returns where the line starts; a write puts it in the file.
    func append(_ line: [UInt8]) -> UInt64 {
        state.withLock { st in
            let start = st.end
            st.pending.append(contentsOf: line)
            st.pending.append(0x0A)
            st.end += UInt64(line.count) + 1
            return start
        }
    }

    /// Buffers the index entry (a packed summary) of the line just appended.
    func appendIndex(_ packed: [UInt8]) {
        state.withLock { JournalIndex.appendEntry(packed, to: &$0.pendingIndex) }
    }

    /// Takes every buffered line for `write`; nil when nothing is buffered.
    func takeBuffered() -> Batch? {
        state.withLock { st in
            guard !st.pending.isEmpty else { return nil }
            var batch = Batch(lines: [], index: [])
            swap(&batch.lines, &st.spare)
            swap(&batch.lines, &st.pending)
            swap(&batch.index, &st.spareIndex)
            swap(&batch.index, &st.pendingIndex)
            return batch
        }
    }

    /// Writes a taken batch; on failure cuts the file back to its last whole line (and the index
    /// to its matching size) and returns the errno. The caller then discards the buffer.
    func write(_ batch: consuming Batch) -> Int32 {
        var code = rollBackTornTail()
        if code == 0, let changed = adoptChangedSize() { return changed }
        if code == 0 { code = FileDescriptorOutput.writeAll(writeFD, batch.lines) }
        var indexCode: Int32 = 0
        if code == 0, indexFD >= 0, !batch.index.isEmpty { indexCode = FileDescriptorOutput.writeAll(indexFD, batch.index) }
        let indexGood: UInt64 = state.withLock { st in
            if code == 0 {
                st.written += UInt64(batch.lines.count)
                // A lost index write only costs a slower next start, but it must not be torn.
                if indexCode == 0 { st.indexWritten += UInt64(batch.index.count) }
            }
            return st.indexWritten
        }
        if code != 0 {
            state.withLock { $0.tornTail = true }
            _ = rollBackTornTail()
        }
        if code != 0 || indexCode != 0, indexFD >= 0 { _ = ftruncate(indexFD, off_t(indexGood)) }
        batch.lines.removeAll(keepingCapacity: true)
        batch.index.removeAll(keepingCapacity: true)
        state.withLock { st in
            if st.spare.capacity < batch.lines.capacity { swap(&st.spare, &batch.lines) }
            if st.spareIndex.capacity < batch.index.capacity { swap(&st.spareIndex, &batch.index) }
        }
        return code
    }

    /// What `write` returns when the file is not as long as what was written to it (cut or
    /// grown by someone else): the batch's lines were placed for the old length.
    static let changedUnderUs: Int32 = -1
    /// What `write` returns once the file has been deleted: nothing is written any more.
    static let deletedUnderUs: Int32 = -2

    /// When the file's length is not what was written (a `copytruncate`, another writer), takes
    /// the file as it is: the next lines are placed at its real end, so that they can be read
    /// back. The batch in hand, placed for the old length, fails (its deliveries are answered 503).
    private func adoptChangedSize() -> Int32? {
        var st = stat()
        guard fstat(writeFD, &st) == 0 else { return nil }
        // Lines written to a deleted file are gone at exit: taking them would acknowledge
        // deliveries that cannot be kept.
        if st.st_nlink == 0 {
            _ = checkFile()
            return Self.deletedUnderUs
        }
        var actual = UInt64(st.st_size)
        guard actual != writtenBytes else { return nil }
        _ = checkFile() // a cut is reported once, with the sizes
        // A cut inside a line leaves part of it; the next line must not be glued onto it. It is
        // cut off, as start cuts off a torn last line, so the file ends with a whole line.
        if let lineEnd = lastLineEnd(before: actual), lineEnd < actual, ftruncate(writeFD, off_t(lineEnd)) == 0 {
            let torn = actual - lineEnd
            actual = lineEnd
            state.withLock { s in
                s.fileProblem =
                    (s.fileProblem ?? "journal \(path) was written to by another program while calldash runs")
                    + "; the \(torn) bytes after its last whole line were cut off"
            }
        }
        // The index's entries describe the old lines: they all go (the index keeps only its
        // first line), and the next start reads the whole journal and rebuilds it.
        let emptyIndex = UInt64(JournalIndex.magic.count)
        let indexCut = indexFD >= 0 && ftruncate(indexFD, off_t(emptyIndex)) == 0
        state.withLock { s in
            s.written = actual
            s.synced = min(s.synced, actual)
            s.end = actual
            if indexCut {
                s.indexWritten = emptyIndex
                s.indexSynced = min(s.indexSynced, emptyIndex)
            }
        }
        return Self.changedUnderUs
    }

    /// Where the last whole line before `size` ends (0 when there is none); nil when it cannot
    /// be found within the longest line a journal holds, or read.
    private func lastLineEnd(before size: UInt64) -> UInt64? {
        let step: UInt64 = 64 << 10
        let longestLine: UInt64 = 64 << 20
        var buffer: [UInt8] = []
        var end = size
        while end > 0, size - end < longestLine {
            let start = end > step ? end - step : 0
            guard read(&buffer, from: start, count: Int(end - start)) else { return nil }
            if let nl = buffer.lastIndex(of: 0x0A) { return start + UInt64(nl) + 1 }
            end = start
        }
        return end == 0 ? 0 : nil
    }

    /// Cuts a failed write's partial line off the file; 0, or the errno that kept it there.
    private func rollBackTornTail() -> Int32 {
        let (torn, good) = state.withLock { ($0.tornTail, $0.written) }
        guard torn else { return 0 }
        guard ftruncate(writeFD, off_t(good)) == 0 else { return errno }
        state.withLock { $0.tornTail = false }
        return 0
    }

    /// Forgets every buffered line after a failed write: the next line starts at the end of the file.
    func discardBuffered() {
        state.withLock { st in
            st.pending.removeAll(keepingCapacity: true)
            st.pendingIndex.removeAll(keepingCapacity: true)
            st.end = st.written
        }
    }

    /// Bytes of whole lines in the file.
    var writtenBytes: UInt64 { state.withLock { $0.written } }

    /// Forces the lines written so far to disk; 0, or the errno of a failed fsync. Runs outside
    /// the write lock, so writes go on meanwhile; it covers at least what was written when it started.
    func sync() -> Int32 {
        let (target, indexTarget, generation) = state.withLock { ($0.written, $0.indexWritten, $0.generation) }
        guard fsync(writeFD) == 0 else { return errno }
        state.withLock { st in
            if st.generation == generation, target > st.synced {
                st.synced = target
                st.indexSynced = indexTarget
            }
        }
        return 0
    }

    /// Where a roll back to what is on disk cuts the journal and its index.
    struct Cut {
        var journal: UInt64
        var index: UInt64
    }

    /// After a failed fsync, or a failed write in fsync mode: forgets every line after what is
    /// known to be on disk (nothing after it was acknowledged) and the buffer, in memory only;
    /// `cut` then shortens the files. Called under the recorder's locks, `cut` under its write lock.
    func forgetUnsynced() -> Cut {
        state.withLock { st in
            st.generation += 1
            st.tornTail = true // the next write cuts to `written` again first, should `cut` fail
            st.written = st.synced
            st.indexWritten = st.indexSynced
            st.end = st.synced
            st.pending.removeAll(keepingCapacity: true)
            st.pendingIndex.removeAll(keepingCapacity: true)
            return Cut(journal: st.synced, index: st.indexSynced)
        }
    }

    func cut(_ c: Cut) {
        _ = ftruncate(writeFD, off_t(c.journal))
        if indexFD >= 0 { _ = ftruncate(indexFD, off_t(c.index)) }
    }

    /// Bytes known to be on disk.
    var syncedBytes: UInt64 { state.withLock { $0.synced } }

    /// Checks that the file is still the journal: not deleted and not cut shorter than what was
    /// written. Returns a problem the first time one is seen (nil otherwise, and ever after).
    func checkFile() -> String? {
        var st = stat()
        guard fstat(writeFD, &st) == 0 else { return nil }
        return state.withLock { s -> String? in
            guard s.fileProblem == nil else { return nil }
            if st.st_nlink == 0 {
                s.fileProblem =
                    "journal \(path) was deleted while calldash runs: deliveries are answered 503 from now on, as nothing written to it could be read again; restart calldash to start a new journal (the deliveries held now are lost with the old one)"
            } else if UInt64(st.st_size) < s.written {
                s.fileProblem =
                    "journal \(path) was cut from \(s.written) to \(st.st_size) bytes while calldash runs: stored deliveries whose lines were cut can no longer be read"
            }
            return s.fileProblem
        }
    }

    /// The problem seen with the file itself, if any (shown by `/_calldash/health`).
    public var fileProblem: String? { state.withLock { $0.fileProblem } }

    /// Reads back the line at `offset` (without its newline).
    public func line(at offset: UInt64, length: UInt32) throws(JournalError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(length))
        let n = out.withUnsafeMutableBytes { pread(readFD, $0.baseAddress!, Int(length), off_t(offset)) }
        guard n == Int(length) else { throw JournalError("cannot read journal \(path) at byte \(offset)") }
        return out
    }

    /// Reads `count` bytes from `offset` into `buffer` (replacing what it held); false when the
    /// file no longer has them (cut short under us).
    func read(_ buffer: inout [UInt8], from offset: UInt64, count: Int) -> Bool {
        if buffer.count != count { buffer = [UInt8](repeating: 0, count: count) }
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(readFD, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    static func makeParentDirectory(of path: String) throws(JournalError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .system("create the folder for", path, errno: errno)
            }
        }
    }
}
