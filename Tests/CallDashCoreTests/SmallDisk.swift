import Foundation

/// A real, small filesystem (a tmpfs) to fill up: mounting needs root, so tests that use it are
/// skipped with that reason elsewhere.
final class SmallDisk {
    let path: String

    static var canMount: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") }

    init?(kilobytes: Int) {
        path = NSTemporaryDirectory() + "calldash-small-disk-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
    }

    deinit {
        _ = Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Fills the disk with a file of zeros, leaving about `leaving` bytes free.
    func fill(leaving: Int) throws {
        var st = statvfs()
        statvfs(path, &st)
        let free = Int(st.f_bavail) * Int(st.f_frsize)
        try Data(count: max(0, free - leaving)).write(to: URL(fileURLWithPath: path + "/filler"))
    }

    func free() throws { try FileManager.default.removeItem(atPath: path + "/filler") }

    private static func run(_ tool: String, _ args: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
