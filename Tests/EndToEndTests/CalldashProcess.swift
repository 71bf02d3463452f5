import AsyncHTTPClient
import Foundation
import LoopbackSockets
import NIOCore
import Synchronization

/// The built `calldash` binary ($CALLDASH_BIN, or .build/debug/calldash of this package).
let calldashBinary: String = {
    if let path = ProcessInfo.processInfo.environment["CALLDASH_BIN"] { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/calldash").path
}()

/// A running `calldash` with its output collected as it arrives.
final class CalldashProcess: Sendable {
    private let process: Process
    private let out = Buffer()
    private let err = Buffer()

    /// The pipe behind stdout, kept so that a test can leave it unread (`readingStdout: false`).
    private let stdoutPipe: Pipe

    /// `prefix` runs the binary through another program (`prlimit --nofile=64`).
    init(_ arguments: [String], environment: [String: String] = [:], readingStdout: Bool = true, prefix: [String] = []) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: prefix.first ?? calldashBinary)
        p.arguments = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [calldashBinary] + arguments
        // The user's own webhooks folder must not change what a test sees.
        let isolated = ["XDG_CONFIG_HOME": NSTemporaryDirectory() + "calldash-tests-no-config"]
        p.environment = ProcessInfo.processInfo.environment.merging(isolated) { $1 }.merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        p.standardOutput = stdout
        p.standardError = stderr
        p.standardInput = FileHandle.nullDevice
        process = p
        stdoutPipe = stdout
        if readingStdout { startReadingStdout() }
        stderr.fileHandleForReading.readabilityHandler = { [err] h in Self.collect(h, into: err) }
        try p.run()
    }

    /// Starts collecting stdout (a test that began with an unread stdout ends the stall).
    func startReadingStdout() {
        stdoutPipe.fileHandleForReading.readabilityHandler = { [out] h in Self.collect(h, into: out) }
    }

    /// Appends what the pipe has; at its end, stops watching it. A handler left on a pipe at its
    /// end fires without pause, and its dispatch source outlives the descriptor once the pipe is
    /// freed: libdispatch then crashed the whole test process when the number was reused.
    private static func collect(_ h: FileHandle, into buffer: Buffer) {
        let data = h.availableData
        if data.isEmpty {
            h.readabilityHandler = nil
            return
        }
        buffer.withLock { $0.append(contentsOf: data) }
    }

    /// The process's resident memory, from /proc.
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.filter(\.isNumber)) ?? 0) * 1024
    }

    var stdout: String { out.withLock { String(decoding: $0, as: UTF8.self) } }
    var stderr: String { err.withLock { String(decoding: $0, as: UTF8.self) } }
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Polls until `condition` holds or `seconds` pass; true if it held.
    @discardableResult
    func wait(seconds: Double = 20, for condition: (CalldashProcess) async -> Bool) async -> Bool {
        await waitUntil(seconds: seconds) { await condition(self) }
    }

    /// The port from `calldash: listening on http://HOST:PORT`, once it is printed.
    func listeningPort(seconds: Double = 30) async -> Int? {
        var port: Int?
        await wait(seconds: seconds) { p in
            port = portNumber(after: "listening on http://127.0.0.1:", in: p.stderr)
            return port != nil || !p.isRunning
        }
        return port
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the process to end; nil if it did not within `seconds`.
    func exitCode(seconds: Double = 20) async -> Int32? {
        guard await wait(seconds: seconds, for: { !$0.isRunning }) else { return nil }
        process.waitUntilExit()
        try? await Task.sleep(for: .milliseconds(50)) // let the pipes drain
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// The number right after `marker` in `text`, if both are there.
func portNumber(after marker: String, in text: String) -> Int? {
    guard let r = text.range(of: marker) else { return nil }
    return Int(text[r.upperBound...].prefix { $0.isNumber })
}

/// Binds `port` on 127.0.0.1 without listening: connections to it are refused, and no other
/// listener is given it while the descriptor is open. Nil when it is taken.
func holdPort(_ port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard withLoopback(port: port, { bind(fd, $0, $1) }) == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; true if it held.
/// It sleeps as a task: a thread blocked in a test is one of the two the whole suite runs on.
func waitUntil(seconds: Double, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// Runs `calldash` to completion and returns its exit code and output.
func runCalldash(_ arguments: [String], seconds: Double = 60) async throws -> (code: Int32?, stdout: String, stderr: String) {
    let p = try CalldashProcess(arguments)
    let code = await p.exitCode(seconds: seconds)
    return (code, p.stdout, p.stderr)
}

func get(_ url: String) async throws -> String {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    return String(buffer: try await response.body.collect(upTo: 16 << 20))
}

func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "calldash-e2e-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Output collected from a pipe on another thread.
final class Buffer: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func withLock<T>(_ body: (inout [UInt8]) -> T) -> T { bytes.withLock { body(&$0) } }
}
