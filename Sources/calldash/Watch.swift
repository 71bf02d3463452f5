import ArgumentParser
import CallDashClient
import CallDashCore
import CallDashReceiver
import CallDashTerminal
import CallDashUI
import Foundation
import Logging

/// `calldash watch` (the default command): the receiver with the live dashboard.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the receiver with the live dashboard (--demo adds simulated traffic).")

    @OptionGroup var receiver: ReceiverOptions

    @Flag(help: "Also run a simulated provider that posts realistic reports to the receiver over HTTP.")
    var demo = false

    @Option(parsing: .unconditional, help: "Reports per second from the simulated provider.")
    var demoRate: Double = 3

    @Option(help: ArgumentHelp("Colour theme: a name from the themes folder, or a .theme file.", valueName: "name|file"))
    var theme: String?

    @Flag(help: "Print one line per call instead of the full-screen dashboard (the default when stdout is not a terminal).")
    var plain = false

    @Option(help: ArgumentHelp("Log file (the dashboard owns the terminal).", valueName: "path"))
    var log: String?

    func validate() throws {
        guard demoRate > 0 else { throw ValidationError("--demo-rate must be more than 0") }
    }

    func run() async throws {
        var catalog = ThemeFiles.catalog()
        let chosen = try ThemeFiles.choose(theme, in: &catalog)
        let usePlain = plain || isatty(1) == 0 || isatty(0) == 0
        let sink = try FileLogHandler.Sink(path: log ?? Paths.defaultLog)
        LoggingSystem.bootstrap { FileLogHandler(label: $0, sink: sink) }
        let logger = Logger(label: "calldash")
        var warnings: [String] = []
        let session = try await ReceiverSession.start(receiver, sparingACore: !usePlain, demoRecordings: demo, logger: logger) { w in
            logger.warning("\(w)")
            warnings.append(w)
            if usePlain { Output.warn(w) }
        }
        let listen = "http://\(receiver.host):\(session.port)"
        logger.info("listening on \(listen)")
        let pusher = Pusher()
        var provider: Task<Void, Never>?
        if demo {
            var plan = PushPlan(
                url: receiver.localURL(port: session.port) + "/ack/receive", count: nil, rate: demoRate, attempts: 3, concurrency: 4)
            // Recordings the receiver serves itself, so v checks and o opens something real.
            plan.recordings = receiver.localURL(port: session.port) + ReceiverConfiguration.demoRecordingsPath
            plan.campaignShape = true // so that the Campaign screen has something to read
            provider = Task { _ = await pusher.push(plan, source: .synthetic(seed: UInt64.random(in: 0...UInt64.max))) }
        }
        if usePlain {
            try await tail(session, listen: listen)
        } else {
            for e in catalog.errors { logger.warning("theme refused: \(e)") }
            var problems = catalog.errors.map(ThemeFiles.refusal) + warnings
            if let p = chosen.problem {
                logger.warning("\(p)")
                problems.insert(p, at: 0)
            }
            try await dashboard(
                session, listen: listen, themes: catalog.themes, themeIndex: chosen.index, problems: problems, logger: logger,
                pusher: pusher)
        }
        provider?.cancel()
        _ = await provider?.value
        await pusher.shutdown()
        await session.stop()
    }

    /// The full-screen dashboard, on a thread of its own (it blocks in `poll`), until `q` or a signal.
    private func dashboard(
        _ session: ReceiverSession, listen: String, themes: [Theme], themeIndex: Int, problems: [String], logger: Logger, pusher: Pusher
    ) async throws {
        let store = session.recorder.store
        let dashboard = try Dashboard(store: store, forwards: session.recorder.forwards)
        let subscription = session.recorder.onChange { dashboard.storeChanged() }
        defer { session.recorder.unsubscribe(subscription) }
        let journal =
            receiver.journalPath.map {
                // The count first: a narrow header cuts the end of the path, not the figure.
                (session.replay.records > 0 ? "\(CallText.count(session.replay.records)) read back from " : "")
                    + "journal \(Paths.short($0))"
            } ?? "no journal: in memory only"
        var state = AppState(
            listen: listen, journal: journal, width: 80, height: 24, snapshot: store.snapshot(), themes: themes,
            now: .now(), utcOffset: TimeZone.current.secondsFromGMT(),
            compose: ComposeState(folder: receiver.webhooks.path, secrets: .process))
        // Listen first, then take what was read: a change in between arrives as an event.
        session.webhooks.onChange { dashboard.post(.webhooksLoaded($0)) }
        _ = state.update(.webhooksLoaded(session.webhooks.entries))
        state.themeIndex = themeIndex
        state.forwards = session.recorder.forwards
        // R replays to the app calls are forwarded to, without asking.
        state.replayURL = receiver.forwardTo
        state.terminalBackground = .ofTerminal(ProcessInfo.processInfo.environment)
        if let first = problems.first {
            _ = state.update(.message(problems.count > 1 ? "\(first) (+\(problems.count - 1) more in the log)" : first, isError: true))
        }
        let effects = DashboardEffects(
            recorder: session.recorder, dashboard: dashboard, logger: logger, exportDirectory: FileManager.default.currentDirectoryPath,
            webhooks: session.webhooks, pusher: pusher, selfURL: receiver.localURL(port: session.port))
        let useColor = ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        let initial = useColor ? state : state.withoutColors
        let signals = Task {
            await Termination.wait()
            dashboard.stop()
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                dashboard.run(initial, useColor: useColor, perform: effects.perform)
                done.resume()
            }
            thread.name = "calldash-ui"
            thread.start()
        }
        signals.cancel()
    }

    /// One line per delivery on stdout: for pipes, logs and terminals that cannot show the dashboard.
    private func tail(_ session: ReceiverSession, listen: String) async throws {
        Output.line("calldash: listening on \(listen) — journal: \(receiver.journalPath ?? "off") — Ctrl-C quits")
        Output.line(TailLine.header)
        let utcOffset = TimeZone.current.secondsFromGMT()
        let (tail, subscription) = LineSink.subscribe(session.recorder, fd: 1) { entry in
            // The tail shows a few fields of each record: read back from its line, on the output thread.
            (try? DeliveryRecord(json: entry.line)).map { Array(TailLine.format($0, utcOffset: utcOffset).utf8) } ?? []
        }
        await Termination.wait()
        session.recorder.unsubscribe(subscription)
        tail.flush()
    }
}
