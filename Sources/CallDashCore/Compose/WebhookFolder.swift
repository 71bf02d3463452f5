#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's identity and version as `stat` sees it: a save compares the stamp it read with
/// the one on disk, so a file changed by hand meanwhile is noticed and not overwritten.
public struct FileStamp: Equatable, Hashable, Sendable {
    var inode: UInt64
    var size: Int64
    var modifiedNanos: Int64

    init(_ st: stat) {
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modifiedNanos = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}

/// The webhooks folder: one `<id>.json` per webhook, read strictly, written atomically.
public struct WebhookFolder: Sendable {
    /// One file in the folder: the webhook it holds, or why it cannot be used.
    public struct Entry: Equatable, Sendable {
        public var path: String
        public var stamp: FileStamp
        public var content: Result<Webhook, WebhookFileError>

        /// The id the file is known by: its content's, else the number in its name.
        public var id: Int? {
            if case .success(let w) = content { return w.id }
            return WebhookFolder.namedID(path)
        }
    }

    /// "7.json" for ".../webhooks/7.json": how messages name a webhook file.
    public static func fileName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    /// The id a file's name gives (7 for "7.json"), if it is a number.
    static func namedID(_ path: String) -> Int? { Int(fileName(path).dropLast(".json".count)) }

    /// A save or delete that did not happen, and why.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
        public var changedOnDisk = false
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// Every `.json` file, by id (broken files too, so they can be listed); a missing folder is empty.
    public func load() -> [Entry] {
        var entries = files().compactMap(Self.entry(file:))
        entries.sort { ($0.id ?? .max, $0.path) < ($1.id ?? .max, $1.path) }
        // Two files for one id would make mapping back a guess: the first keeps it.
        var owners: [Int: String] = [:]
        for i in entries.indices {
            guard case .success(let w) = entries[i].content else { continue }
            if let owner = owners[w.id] {
                entries[i].content = .failure(
                    WebhookFileError(file: entries[i].path, line: 1, problem: "id \(w.id) is already used by \(Self.fileName(owner))"))
            } else {
                owners[w.id] = entries[i].path
            }
        }
        return entries
    }

    /// Each file's stamp, without reading the files: enough to tell whether anything changed.
    public func stamps() -> [String: FileStamp] {
        Dictionary(uniqueKeysWithValues: files().compactMap { f in Self.stamp(of: f).map { (f, $0) } })
    }

    /// The paths of the `.json` files (not the temporary files of a save in progress).
    private func files() -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".json"), !name.hasPrefix(".") { out.append(path + "/" + name) }
        }
        return out
    }

    /// Reads one file; nil when it vanished.
    public static func entry(file: String) -> Entry? {
        guard let read = Self.contents(of: file) else { return nil }
        let (bytes, stamp): ([UInt8], FileStamp)
        switch read {
        case .success(let got): (bytes, stamp) = got
        case .failure(let refused):
            return Entry(
                path: file, stamp: refused.stamp, content: .failure(WebhookFileError(file: file, line: 1, problem: refused.problem)))
        }
        var content: Result<Webhook, WebhookFileError>
        do { content = .success(try Webhook(file: bytes, path: file)) } catch { content = .failure(error) }
        // The name says which id the file is for; a copy renamed by hand but not edited would
        // otherwise shadow the webhook it came from.
        if case .success(let w) = content, let named = namedID(file), named != w.id {
            content = .failure(WebhookFileError(file: file, line: 1, problem: "the file holds id \(w.id) but is named \(named).json"))
        }
        return Entry(path: file, stamp: stamp, content: content)
    }

    /// The id for a new webhook: one past every id in use, broken files included.
    public static func nextID(after entries: [Entry]) -> Int { (entries.compactMap(\.id).max() ?? 0) + 1 }

    public func file(for id: Int) -> String { path + "/\(id).json" }

    /// Writes `webhook` to `file` through a temporary file and a rename, so a reader never sees
    /// half a file. `expected` is the stamp the file had when it was read (nil: it must not
    /// exist); if the file changed since, nothing is written, unless `overwriting` (the user
    /// was asked).
    @discardableResult
    public func save(_ webhook: Webhook, to file: String, expected: FileStamp?, overwriting: Bool = false) throws(Failure) -> FileStamp {
        do { try Journal.makeParentDirectory(of: file) } catch { throw Failure(description: error.description) }
        guard overwriting || Self.stamp(of: file) == expected else { throw changed(file, expected: expected) }
        let temp = path + "/.\(Self.fileName(file)).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot write \(temp): \(String(cString: strerror(errno)))") }
        let code = FileDescriptorOutput.writeAll(fd, Array(webhook.fileText.utf8))
        let synced = code == 0 && fsync(fd) == 0
        close(fd)
        guard synced, rename(temp, file) == 0 else {
            let reason = String(cString: strerror(code != 0 ? code : errno))
            unlink(temp)
            throw Failure(description: "cannot save \(file): \(reason)")
        }
        guard let stamp = Self.stamp(of: file) else { throw Failure(description: "\(file) vanished right after saving") }
        return stamp
    }

    /// Removes a webhook's file, unless it changed since it was read.
    public func delete(_ file: String, expected: FileStamp) throws(Failure) {
        guard Self.stamp(of: file) == expected else { throw changed(file, expected: expected) }
        guard unlink(file) == 0 else { throw Failure(description: "cannot delete \(file): \(String(cString: strerror(errno)))") }
    }

    private func changed(_ file: String, expected: FileStamp?) -> Failure {
        let what = expected == nil ? "appeared" : Self.stamp(of: file) == nil ? "was deleted" : "changed"
        return Failure(
            description: "\(file) \(what) on disk since it was read: reload it (R) or save again to overwrite", changedOnDisk: true)
    }

    public static func stamp(of file: String) -> FileStamp? {
        var st = stat()
        guard stat(file, &st) == 0 else { return nil }
        return FileStamp(st)
    }

    /// The most a webhook file may hold: a hand-written one is a few hundred bytes.
    public static let maxFileBytes = 1 << 20

    struct Refused: Error {
        var stamp: FileStamp
        var problem: String
    }

    /// A file's bytes; nil when it vanished. Only regular files of at most `maxFileBytes` are
    /// read (a FIFO must not hang start, a huge file must not fill memory).
    static func contents(of file: String) -> Result<([UInt8], FileStamp), Refused>? {
        let fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let stamp = FileStamp(st)
        guard st.st_mode & S_IFMT == S_IFREG else { return .failure(Refused(stamp: stamp, problem: "not a regular file")) }
        guard st.st_size <= maxFileBytes else {
            return .failure(Refused(stamp: stamp, problem: "\(st.st_size) bytes is too large for a webhook file (at most \(maxFileBytes))"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { return nil }
            done += n
        }
        return .success((bytes, stamp))
    }
}
