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

/// One delivery as a line of the live tail.
enum TailLine {
    static let header = pad("TIME", 8) + "  " + pad("SEQ", 6) + "  " + pad("STATUS", 11) + "  " + pad("FROM", 14) + "  "
        + pad("TO", 14) + "  " + pad("DUR", 6, right: true) + "  " + pad("SOURCE", 10) + "  MID"

    static func format(_ r: DeliveryRecord) -> String {
        let time = String(r.receivedAt.iso8601.dropFirst(11).prefix(8))
        if r.outcome == .rejected {
            return pad(time, 8) + "  " + pad("#\(r.seq)", 6) + "  " + pad("REJECTED", 11) + "  \(r.responseCode) \(r.method) \(r.path): \(clean(r.error ?? ""))"
        }
        let f = r.fields
        return pad(time, 8) + "  " + pad("#\(r.seq)", 6) + "  " + pad(f[.status] ?? "-", 11) + "  " + pad(f[.from] ?? "-", 14) + "  "
            + pad(f[.to] ?? "-", 14) + "  " + pad(duration(f[.duration]), 6, right: true) + "  " + pad(f[.source] ?? "-", 10) + "  " + clean(f[.mid] ?? "-")
    }

    /// Seconds as m:ss; anything that is not a whole number is shown as sent.
    static func duration(_ s: String?) -> String {
        guard let s, let v = Int(s), v >= 0 else { return s ?? "-" }
        let secs = v % 60
        return "\(v / 60):" + (secs < 10 ? "0" : "") + String(secs)
    }

    /// Control characters would move the cursor or recolour the terminal: show them as '?'.
    static func clean(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : Character($0) })
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let c = clean(s)
        let cut = c.count > width ? String(c.prefix(width - 1)) + "…" : c
        let fill = String(repeating: " ", count: max(0, width - cut.count))
        return right ? fill + cut : cut + fill
    }
}
