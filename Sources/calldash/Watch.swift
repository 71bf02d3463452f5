import ArgumentParser
import CallDashClient
import CallDashCore
import Foundation
import Logging

/// `calldash watch`: the receiver with a live view of arriving calls.
///
/// Until the full-screen dashboard lands this is a live tail: one line per delivery.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the receiver and show calls as they arrive (--demo adds simulated traffic).")

    @OptionGroup var receiver: ReceiverOptions

    @Flag(help: "Also run a simulated provider that posts realistic reports to the receiver over HTTP.")
    var demo = false

    @Option(help: "Reports per second from the simulated provider.")
    var demoRate: Double = 3

    func validate() throws {
        guard demoRate > 0 else { throw ValidationError("--demo-rate must be more than 0") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let session = try await ReceiverSession.start(receiver, logger: Logger(label: "calldash"), warn: Output.warn)
        Output.line("calldash: listening on http://\(receiver.host):\(session.port) — journal: \(receiver.journalPath ?? "off") — Ctrl-C quits")
        Output.line(TailLine.header)
        let tail = LineSink(fd: 1)
        _ = session.recorder.subscribe { tail.write(Array(TailLine.format($0.record).utf8)) }
        var provider: Task<Void, Never>?
        let pusher = Pusher()
        if demo {
            let host = receiver.host == "0.0.0.0" ? "127.0.0.1" : receiver.host
            let plan = PushPlan(url: "http://\(host):\(session.port)/ack/receive", count: nil, rate: demoRate, attempts: 3, concurrency: 4)
            provider = Task { _ = await pusher.push(plan, source: .synthetic(seed: UInt64.random(in: 0...UInt64.max))) }
        }
        await Termination.wait()
        provider?.cancel()
        _ = await provider?.value
        await pusher.shutdown()
        await session.stop()
        tail.flush()
    }
}
