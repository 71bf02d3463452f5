import Foundation
import LoopbackSockets
import Testing

/// Mounts a small tmpfs for a test (root only) and unmounts it after.
private func withSmallDisk(kilobytes: Int, _ body: (String) async throws -> Void) async throws {
    let path = NSTemporaryDirectory() + "calldash-e2e-disk-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer {
        _ = shell("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }
    try #require(shell("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]), "mount a tmpfs")
    try await body(path)
}

@discardableResult
private func shell(_ tool: String, _ args: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

private func pushSummary(_ port: Int, count: Int) async throws -> (delivered: Int, failed: Int) {
    let push = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--count", "\(count)", "--attempts", "1", "--json"])
    func figure(_ name: String) -> Int { portNumber(after: "\"\(name)\":", in: push.stdout) ?? -1 }
    return (figure("delivered"), figure("failed"))
}

@Suite("serve under faults: a full disk and a stdout nobody reads")
struct ServeFaultTests {
    @Test(
        "fill the journal's disk, free it, restart: 503s are never shown as accepted, and the journal stays whole",
        .enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func fullDiskThenRestart() async throws {
        try await withSmallDisk(kilobytes: 2048) { disk in
            let journal = disk + "/journal.jsonl"
            try Data(count: 1536 << 10).write(to: URL(fileURLWithPath: disk + "/filler"))
            let serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
            let port = try #require(await serve.listeningPort())
            let full = try await pushSummary(port, count: 1500)
            #expect(full.delivered > 0 && full.failed > 0 && full.delivered + full.failed == 1500)
            #expect(await serve.wait { $0.stderr.contains("No space left on device") })
            #expect(serve.stderr.components(separatedBy: "No space left on device").count == 2, "the cause is said once")
            let health = try await get("http://127.0.0.1:\(port)/_calldash/health")
            #expect(health.contains("\"accepted\":\(full.delivered),\"rejected\":\(full.failed)"))
            #expect(await serve.wait { $0.stdout.components(separatedBy: "\"response_code\":503").count == full.failed + 1 })

            try FileManager.default.removeItem(atPath: disk + "/filler")
            try await Task.sleep(for: .seconds(1.2)) // a run of failures ends after a second of good writes
            let after = try await pushSummary(port, count: 20)
            #expect(after.delivered == 20)
            let page = try await get("http://127.0.0.1:\(port)/_calldash/reports?outcome=accepted&limit=10000")
            let records = try JSONSerialization.jsonObject(with: Data(page.utf8)) as? [[String: Any]]
            #expect(records?.count == full.delivered + 20)
            serve.signal(SIGKILL)
            _ = await serve.exitCode()

            let again = try CalldashProcess(["serve", "--port", "0", "--journal", journal])
            let port2 = try #require(await again.listeningPort())
            #expect(again.stderr.contains("replayed \(full.delivered + 20) deliveries"))
            let health2 = try await get("http://127.0.0.1:\(port2)/_calldash/health")
            #expect(health2.contains("\"accepted\":\(full.delivered + 20),\"rejected\":0"))
            again.signal(SIGINT)
            #expect(await again.exitCode() == 0)
        }
    }

    @Test("a stdout nobody reads costs bounded memory; once read again, the missed lines are counted on stderr")
    func blockedStdout() async throws {
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--capacity", "1000"], readingStdout: false)
        let port = try #require(await serve.listeningPort())
        _ = try await pushSummary(port, count: 500)
        let before = serve.residentBytes
        let flood = try await pushSummary(port, count: 15_000)
        #expect(flood.delivered == 15_000, "ingest is never held up by stdout")
        let grown = serve.residentBytes - before
        #expect(grown < 64 << 20, "grew \(grown >> 20) MB")
        serve.startReadingStdout()
        #expect(await serve.wait { $0.stderr.contains("output fell behind") })
        #expect(serve.stderr.contains("/_calldash/reports has them while they are held in memory (--no-journal)"))
        serve.signal(SIGINT)
        #expect(await serve.exitCode() == 0)
    }
}

/// CPU seconds a process has used (user + system), from /proc.
private func cpuSeconds(_ pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

@Suite("serve's edges: descriptors running out, a wildcard address, a token kept out of ps")
struct ServeEdgeTests {
    @Test(
        "out of file descriptors, serve says so and waits between accepts instead of spinning a core",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "needs prlimit"))
    func descriptorsRunOut() async throws {
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal"], prefix: ["/usr/bin/prlimit", "--nofile=64"])
        let port = try #require(await serve.listeningPort())
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        for _ in 0..<120 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = withLoopback(port: port) { connect(fd, $0, $1) }
            held.append(fd)
        }
        // Bounds are generous: on a loaded 2-core machine the accepts and the push below take seconds.
        #expect(await serve.wait(seconds: 30) { $0.stderr.contains("cannot accept connections: Too many open files") })
        let before = cpuSeconds(serve.pid)
        try await Task.sleep(for: .seconds(2))
        let used = cpuSeconds(serve.pid) - before
        #expect(used < 0.5, "used \(used) s of CPU in 2 s while out of descriptors")
        #expect(serve.stderr.components(separatedBy: "cannot accept connections").count == 2, "said once")
        for fd in held { close(fd) }
        held = []
        // Once descriptors are free again, new connections are taken. One attempt per push (a
        // push whose connection waited in the backlog can take its whole answer timeout), tried
        // again for a minute: with the whole suite running, freeing a few dozen sockets is slow.
        var lastPush = ""
        let taken = await serve.wait(seconds: 60) { _ in
            let push = try? await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--count", "1", "--attempts", "1", "--json"])
            lastPush = (push?.stdout ?? "") + (push?.stderr ?? "")
            return lastPush.contains("\"delivered\":1")
        }
        #expect(
            taken, "serve running: \(serve.isRunning); the last push said: \(lastPush.suffix(400)); serve said: \(serve.stderr.suffix(800))"
        )
        serve.signal(SIGINT)
        let code = await serve.exitCode(seconds: 40)
        #expect(code == 0, "exit \(code.map(String.init) ?? "none within 40 s"); serve said: \(serve.stderr.suffix(800))")
    }

    @Test("listening on every address without a token is warned about; --token-file keeps the token out of the command line")
    func wildcardAndTokenFile() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "s3cret-from-file\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let open = try CalldashProcess(["serve", "--host", "0.0.0.0", "--port", "0", "--no-journal"])
        #expect(await open.wait { $0.stderr.contains("without --token: anyone who can reach this address") })
        open.signal(SIGINT)
        _ = await open.exitCode()

        let guarded = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--token-file", dir + "/token"])
        let port = try #require(await guarded.listeningPort())
        let cmdline = (try? String(contentsOfFile: "/proc/\(guarded.pid)/cmdline", encoding: .utf8)) ?? ""
        #expect(!cmdline.contains("s3cret"))
        #expect(try await get("http://127.0.0.1:\(port)/_calldash/reports").contains("missing bearer token"))
        let ok = try await runCalldash(["push", "--to", "http://127.0.0.1:\(port)/ack", "--count", "1", "--json"])
        #expect(ok.stdout.contains("\"failed\":1"), "push sends no token")
        guarded.signal(SIGINT)
        #expect(await guarded.exitCode() == 0)
    }
}

@Suite("Compose secrets never reach the journal or stdout, in any encoding and at any length")
struct SecretLeakTests {
    @Test(
        "a base64 API key and a 4-digit PIN sent through form, GET and JSON webhooks are masked everywhere",
        arguments: [
            ("form", "POST"), ("json", "POST"), ("form", "GET"), ("multipart", "PUT")
        ])
    func secretsMasked(format: String, method: String) async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/wh", withIntermediateDirectories: true)
        try """
        { "id": 1, "name": "leak", "method": "\(method)", "format": "\(format)",
          "url": "http://127.0.0.1:1/form/%api%/x?sig=%api%&call={{mid}}",
          "headers": [ { "name": "Authorization", "value": "Bearer %api%" }, { "name": "X-Api-Key", "value": "%api%" } ],
          "body": [ { "key": "status", "value": "{{status}}" }, { "key": "secret", "value": "%api%" }, { "key": "pin", "value": "%pin%" } ] }
        """.write(toFile: dir + "/wh/1.json", atomically: true, encoding: .utf8)
        let env = ["CALLDASH_SECRET_API": "Zm9v+YmFy/c2Vj==", "CALLDASH_SECRET_PIN": "4711"]
        let journal = dir + "/journal.jsonl"
        let serve = try CalldashProcess(["serve", "--port", "0", "--journal", journal, "--webhooks", dir + "/wh"], environment: env)
        let port = try #require(await serve.listeningPort())
        let push = try CalldashProcess(
            ["push", "--to", "http://127.0.0.1:\(port)", "--webhooks", dir + "/wh", "--webhook", "1", "--count", "3", "--json"],
            environment: env)
        #expect(await push.exitCode() == 0)
        #expect(push.stdout.contains("\"delivered\":3"))
        #expect(await serve.wait { $0.stdout.split(separator: "\n").count == 3 })
        serve.signal(SIGINT)
        _ = await serve.exitCode()
        let written = try String(contentsOfFile: journal, encoding: .utf8) + serve.stdout
        let forms = ["Zm9v+YmFy/c2Vj==", "Zm9v%2BYmFy%2Fc2Vj%3D%3D", "Zm9v%2bYmFy%2fc2Vj%3d%3d", "Zm9v+YmFy\\/c2Vj==", "Zm9v"]
        for form in forms { #expect(!written.contains(form), "\(form) leaked") }
        #expect(!written.contains("4711"), "the PIN leaked")
        #expect(written.contains("***"))
    }
}
