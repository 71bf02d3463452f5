import Foundation

/// A real terminal for the dashboard: a private tmux server running one command in a pane
/// that tests type into and read back. Every wait polls the pane until a deadline.
final class TmuxSession {
    let socket = "calldash-test-" + UUID().uuidString.prefix(8)
    let folder = temporaryFolder()

    /// Starts `calldash <arguments>` in a `width`×`height` pane, inside a shell that prints
    /// "EXITED:<status>" when it ends, so the test can see what the terminal shows afterwards.
    init(_ arguments: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        let env =
            (["XDG_STATE_HOME": folder + "/state", "XDG_CONFIG_HOME": folder + "/config", "BROWSER": "", "LANG": "C.UTF-8"]
            .merging(environment) { $1 }).map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = ([calldashBinary] + arguments).map(Self.quote).joined(separator: " ")
        // NO_COLOR may come from the test runner's environment (swift test sets it when its output
        // is not a terminal): the dashboard gets it only when a test asks for it.
        let unset = environment["NO_COLOR"] == nil ? "-u NO_COLOR " : ""
        let shell = "cd \(Self.quote(folder)) && env \(unset)\(env) \(command); echo EXITED:$?; sleep 600"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", "sh -c \(Self.quote(shell))"])
        try tmux(["set-option", "-g", "set-clipboard", "on"])
    }

    deinit {
        // kill-server alone can leave the pane's shell and the dashboard behind (the server waits
        // for them), so the pane's whole process group goes first.
        if let pid = (try? tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"])).flatMap({
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }) {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// What the pane shows now, one string per row.
    var screen: String { (try? tmux(["capture-pane", "-p", "-t", "t"])) ?? "" }

    /// Types text as it is (no key names).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "t", "-l", text]) }

    /// Presses keys by tmux name: "Enter", "Escape", "C-c", "Down", "PageDown".
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "t", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The tmux paste buffer, where OSC 52 copies land.
    var pasteBuffer: String { (try? tmux(["show-buffer"])) ?? "" }

    /// Polls the pane until `condition` holds or `seconds` pass; true if it held.
    @discardableResult
    func waitFor(seconds: Double = 20, _ condition: (String) -> Bool) async -> Bool {
        await waitUntil(seconds: seconds) { condition(screen) }
    }

    /// The receiver's port, read from the dashboard's header.
    func port(seconds: Double = 60) async -> Int? {
        var port: Int?
        await waitFor(seconds: seconds) { s in
            port = portNumber(after: "http://127.0.0.1:", in: s)
            return port != nil
        }
        return port
    }

    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        // The server `new-session` starts outlives the call, so its output must not be a pipe we read to the end.
        let (status, output) = try spawn(["tmux", "-L", socket] + args, captureOutput: !args.contains("new-session"))
        guard status == 0 else { throw TmuxFailure(command: args.joined(separator: " ")) }
        return output
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct TmuxFailure: Error, CustomStringConvertible {
    var command: String
    var description: String { "tmux \(command) failed (is tmux installed? scripts/setup installs it)" }
}

/// Runs a program found on PATH and waits for it with `waitpid` (Foundation's `Process` can
/// miss the exit of a client whose daemon child lives on). Returns its status and stdout.
func spawn(_ argv: [String], captureOutput: Bool = true) throws -> (Int32, String) {
    var fds: [Int32] = [-1, -1]
    if captureOutput { guard pipe(&fds) == 0 else { throw TmuxFailure(command: "pipe") } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if captureOutput {
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for arg in cArgs { free(arg) } }
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
    if captureOutput { close(fds[1]) }
    guard rc == 0 else {
        if captureOutput { close(fds[0]) }
        throw TmuxFailure(command: argv.joined(separator: " "))
    }
    var output: [UInt8] = []
    if captureOutput {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n <= 0 { break }
            output += buf[0..<n]
        }
        close(fds[0])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
}
