#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// The append-only JSON Lines journal: one delivery record per line, written before the reply.
///
/// Appends are buffered and `commit` writes everything buffered in one `write(2)`: the receiver
/// commits once per event-loop pass, before any of that pass's replies go out, so many deliveries
/// share a system call and every acknowledged one is in the kernel (it survives `kill -9`).
/// With `fsync` on, replies also wait for the disk; concurrent waiters share fsyncs (group commit).
public final class Journal: Sendable {
    public let path: String
    public let fsyncEnabled: Bool
    private let writeFD: Int32
    private let readFD: Int32
    /// The index beside the journal (see `JournalIndex`).
    private let indexFD: Int32
    private let state: Mutex<State>
    /// Held while writing, so buffered lines reach the file in the order they were appended.
    private let writeLock = Mutex(())
    private let syncQueue = DispatchQueue(label: "calldash.journal.sync")

    private struct State: Sendable {
        /// Bytes appended (written or buffered); the next line starts here.
        var end: UInt64
        /// Bytes handed to the kernel.
        var written: UInt64
        /// Appended lines not written yet.
        var pending: [UInt8] = []
        /// Their index entries, written right after them.
        var pendingIndex: [UInt8] = []
        /// Emptied buffers from the last commit, swapped in so that no commit allocates
        /// (copying the pending buffer out and clearing it allocated afresh every time).
        var spare: [UInt8] = []
        var spareIndex: [UInt8] = []
        /// Bytes known to be on disk.
        var synced: UInt64
        var waiters: [(offset: UInt64, done: @Sendable (Bool) -> Void)] = []
        var syncRunning = false
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
        fstat(x, &ist)
        if x >= 0, ist.st_size == 0 { _ = JournalIndex.magic.withUnsafeBytes { write(x, $0.baseAddress, $0.count) } }
        var st = stat()
        fstat(w, &st)
        writeFD = w
        readFD = r
        indexFD = x
        state = Mutex(State(end: UInt64(st.st_size), written: UInt64(st.st_size), synced: UInt64(st.st_size)))
    }

    deinit {
        close(writeFD)
        close(readFD)
        if indexFD >= 0 { close(indexFD) }
    }

    /// Bytes appended so far.
    public var size: UInt64 { state.withLock { $0.end } }

    /// Buffers `line` plus a newline and returns where the line starts; `commit` writes it.
    /// Callers serialize appends (the recorder holds its lock), so offsets are in order.
    public func append(_ line: [UInt8]) -> UInt64 {
        state.withLock { st in
            let start = st.end
            st.pending.append(contentsOf: line)
            st.pending.append(0x0A)
            st.end += UInt64(line.count) + 1
            return start
        }
    }

    /// Buffers the index entry (a packed summary) of the line just appended.
    public func appendIndex(_ packed: [UInt8]) {
        state.withLock { JournalIndex.appendEntry(packed, to: &$0.pendingIndex) }
    }

    /// Writes every buffered line, unless bytes up to `offset` are already written.
    public func commit(upTo offset: UInt64 = .max) throws(JournalError) {
        let failure: Int32 = writeLock.withLock { _ in
            let taken: ([UInt8], [UInt8])? = state.withLock { st in
                guard st.written < min(offset, st.end) else { return nil }
                var lines: [UInt8] = [], index: [UInt8] = []
                swap(&lines, &st.spare)
                swap(&lines, &st.pending)
                swap(&index, &st.spareIndex)
                swap(&index, &st.pendingIndex)
                return (lines, index)
            }
            guard var (batch, index) = taken else { return 0 }
            let code = FileDescriptorOutput.writeAll(writeFD, batch)
            // The index follows its lines; a lost index write only costs a slower next start.
            if code == 0, indexFD >= 0, !index.isEmpty { _ = FileDescriptorOutput.writeAll(indexFD, index) }
            let count = UInt64(batch.count)
            batch.removeAll(keepingCapacity: true)
            index.removeAll(keepingCapacity: true)
            state.withLock { st in
                st.written += count
                if st.spare.capacity < batch.capacity { swap(&st.spare, &batch) }
                if st.spareIndex.capacity < index.capacity { swap(&st.spareIndex, &index) }
            }
            return code
        }
        guard failure == 0 else { throw .system("write", path, errno: failure) }
    }

    /// Calls `done(true)` once everything up to `offset` is on disk (group commit), or
    /// `done(false)` if fsync failed. Without `fsync` mode it calls back at once.
    public func whenDurable(upTo offset: UInt64, _ done: @escaping @Sendable (Bool) -> Void) {
        guard fsyncEnabled else { return done(true) }
        enum Action { case now, wait, startSync }
        let action: Action = state.withLock { st in
            if st.synced >= offset { return .now }
            st.waiters.append((offset, done))
            if st.syncRunning { return .wait }
            st.syncRunning = true
            return .startSync
        }
        switch action {
        case .now: done(true)
        case .wait: break
        case .startSync: syncQueue.async { self.syncLoop() }
        }
    }

    /// One fsync serves every record written before it started; records that arrive meanwhile
    /// wait for the next round.
    private func syncLoop() {
        while true {
            let target = state.withLock { $0.written }
            let ok = fsync(writeFD) == 0
            let (ready, more): ([@Sendable (Bool) -> Void], Bool) = state.withLock { st in
                if ok { st.synced = max(st.synced, target) }
                let synced = st.synced
                let ready = st.waiters.filter { !ok || $0.offset <= synced }.map(\.done)
                st.waiters.removeAll { !ok || $0.offset <= synced }
                st.syncRunning = !st.waiters.isEmpty
                return (ready, st.syncRunning)
            }
            for done in ready { done(ok) }
            if !more { return }
        }
    }

    /// Forces everything written so far to disk (used at shutdown).
    public func flush() {
        try? commit()
        fsync(writeFD)
    }

    /// Reads back the line at `offset` (without its newline).
    public func line(at offset: UInt64, length: UInt32) throws(JournalError) -> [UInt8] {
        try commit(upTo: offset + UInt64(length))
        var out = [UInt8](repeating: 0, count: Int(length))
        let n = out.withUnsafeMutableBytes { pread(readFD, $0.baseAddress!, Int(length), off_t(offset)) }
        guard n == Int(length) else { throw JournalError("cannot read journal \(path) at byte \(offset)") }
        return out
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
