import CallDashCore
import CallDashUI
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `M`'s editor: the body written to a temporary file, `$VISUAL` (else `$EDITOR`) run on it with
/// the terminal handed over, as lazygit and k9s do, and the file read back.
enum ExternalEditor {
    /// The most an edited body may come back as.
    static let maxBytes = 16 << 20

    static func edit(_ body: [UInt8], environment: [String: String], screen: CursesScreen) -> Result<[UInt8], EditFailure> {
        let setting = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        guard let setting else { return .failure(EditFailure("M needs an editor: set VISUAL or EDITOR (export EDITOR=vim)")) }
        var template = Array((NSTemporaryDirectory() + "calldash-body-XXXXXX.json").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
        guard fd >= 0 else { return .failure(EditFailure("cannot make a file to edit: \(String(cString: strerror(errno)))")) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let wrote = FileDescriptorOutput.writeAll(fd, body) == 0
        close(fd)
        guard wrote else { return .failure(EditFailure("cannot write the body to \(path)")) }

        screen.suspend()
        // Through the shell, as git runs it: the setting may quote a path or carry arguments.
        let status = run(["/bin/sh", "-c", setting + " \"$1\"", "sh", path], environment: environment)
        screen.resume()

        switch status {
        case .failure(let why): return .failure(why)
        case .success(let code) where code != 0:
            return .failure(EditFailure("the editor (\(setting)) exited with status \(code): nothing sent"))
        case .success: break
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(EditFailure("the edited file is gone: nothing sent")) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else { return .failure(EditFailure("the edited body is over 16 MiB: nothing sent")) }
        guard !data.isEmpty else { return .failure(EditFailure("the edited body is empty: nothing sent (an emptied file cancels)")) }
        return .success(Array(data))
    }

    /// Runs `argv` in a process group of its own that owns the terminal while it runs (so Ctrl-C
    /// in it reaches it alone), and waits for it; its exit status.
    private static func run(_ argv: [String], environment: [String: String]) -> Result<Int32, EditFailure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let args = argv.map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in args + env { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], nil, &attributes, args, env)
        guard spawned == 0 else {
            return .failure(EditFailure("cannot run the editor \(argv[0]): \(String(cString: strerror(spawned)))"))
        }
        let terminal = isatty(0) != 0
        if terminal { tcsetpgrp(0, pid) }
        var status: Int32 = 0
        var waitError: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WUNTRACED)
            if r < 0, errno == EINTR { continue }
            guard r == pid else {
                waitError = errno
                break
            }
            // Stopped (it read the terminal before it was handed over, or ^Z): hand it over, go on.
            if status & 0xFF == 0x7F {
                if terminal { tcsetpgrp(0, pid) }
                kill(-pid, SIGCONT) // its whole group: a wrapper's child may be the one stopped
                continue
            }
            break
        }
        if terminal {
            // Taking the terminal back from a background group: SIGTTOU must not stop us.
            let previous = signal(SIGTTOU, SIG_IGN)
            tcsetpgrp(0, getpgrp())
            signal(SIGTTOU, previous)
        }
        guard waitError == 0 else {
            return .failure(EditFailure("lost track of the editor (\(String(cString: strerror(waitError)))): nothing sent"))
        }
        let exited = status & 0x7F == 0
        return .success(exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F))
    }
}
