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

    @Option(
        name: .customLong("demo-rate"), parsing: .unconditional,
        help: "Reports per second from the simulated provider (default: \(Self.defaultDemoRate)).")
    var demoRateGiven: Double?
    var demoRate: Double { demoRateGiven ?? Self.defaultDemoRate }
    static let defaultDemoRate = 3.0

    @Option(help: ArgumentHelp("Colour theme: a name from the themes folder, or a .theme file.", valueName: "name|file"))
    var theme: String?

    @Flag(help: "Print one line per call instead of the full-screen dashboard (the default when stdout is not a terminal).")
    var plain = false

    @Option(help: ArgumentHelp("Log file (the dashboard owns the terminal).", valueName: "path"))
    var log: String?

    @Option(
        help: ArgumentHelp(
            "Follow a calldash serve elsewhere instead of receiving here (its --token with --token or CALLDASH_TOKEN; options for a receiver here, such as --port, --journal or --forward-to, are refused).",
            valueName: "url"))
    var remote: String?

    func validate() throws {
        guard demoRate > 0 else { throw ValidationError("--demo-rate must be more than 0") }
        if let remote {
            if let problem = RenderedRequest.urlProblem(remote) { throw ValidationError("--remote \(remote): \(problem)") }
            // What only a receiver here would use: refused rather than silently ignored.
            let local: [(String, Bool)] = [
                ("--host", receiver.hostGiven != nil), ("--port", receiver.portGiven != nil), ("--journal", receiver.journal != nil),
                ("--no-journal", receiver.noJournal), ("--fsync", receiver.fsync), ("--forward-to", receiver.forwardTo != nil),
                ("--respond", receiver.respondGiven != nil), ("--demo", demo), ("--demo-rate", demoRateGiven != nil),
                ("--threads", receiver.threads != nil), ("--allow-host", !receiver.allowHost.isEmpty),
                ("--max-body", receiver.maxBodyGiven != nil), ("--idle-timeout", receiver.idleTimeoutGiven != nil),
                ("--request-timeout", receiver.requestTimeoutGiven != nil)
            ]
            if let (name, _) = local.first(where: \.1) {
                throw ValidationError("\(name) is for a receiver here; with --remote the receiver is the one at \(remote)")
            }
        }
    }

    func run() async throws {
        var catalog = ThemeFiles.catalog()
        let chosen = try ThemeFiles.choose(theme, in: &catalog)
        let usePlain = plain || isatty(1) == 0 || isatty(0) == 0
        let sink = try FileLogHandler.Sink(path: log ?? Paths.defaultLog)
        LoggingSystem.bootstrap { FileLogHandler(label: $0, sink: sink) }
        let logger = Logger(label: "calldash")
        if let remote {
            return try await follow(remote, catalog: catalog, chosen: chosen, plain: usePlain, logger: logger)
        }
        var warnings: [String] = []
        // Problems while running (the journal cannot be written, the forward queue is full): on
        // stderr for the plain tail, in the dashboard's message line once it runs, and in the log.
        // Before the dashboard runs they are kept for it; once it has quit, stderr has them.
        let mailbox = DashboardMailbox()
        let report: @Sendable (String) -> Void = { text in
            logger.error("\(text)")
            if usePlain || !mailbox.message(text) { Output.warn(text) }
        }
        let session = try await ReceiverSession.start(
            receiver, sparingACore: !usePlain, demoRecordings: demo, logger: logger, report: report
        ) { w in
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
            let journal =
                receiver.journalPath.map {
                    // The count first: a narrow header cuts the end of the path, not the figure.
                    (session.replay.records > 0 ? "\(CallText.count(session.replay.records)) read back from " : "")
                        + "journal \(Paths.short($0))"
                } ?? "no journal: in memory only"
            let source = DashboardSource(
                recorder: session.recorder, webhooks: session.webhooks, selfURL: receiver.localURL(port: session.port),
                selfToken: session.token, listen: listen, journal: journal)
            try await dashboard(
                source, themes: catalog.themes, themeIndex: chosen.index, problems: problems, logger: logger, pusher: pusher
            ) { dashboard in mailbox.attach(dashboard) }
            mailbox.detach()
        }
        provider?.cancel()
        _ = await provider?.value
        await pusher.shutdown()
        await session.stop()
    }

    /// What the dashboard shows and works with: a receiver here, or one followed (`--remote`).
    struct DashboardSource {
        let recorder: Recorder
        let webhooks: WebhookWatcher
        /// Where "send to itself" goes.
        let selfURL: String
        /// The `--token` that receiver requires, which a send to itself carries.
        let selfToken: String?
        let listen: String
        let journal: String
        /// The receiver followed (`--remote`), if it is not one here.
        var remote: String? = nil
    }

    /// The full-screen dashboard, on a thread of its own (it blocks in `poll`), until `q` or a
    /// signal. `started` is handed the dashboard before it runs (to post to it).
    private func dashboard(
        _ source: DashboardSource, themes: [Theme], themeIndex: Int, problems: [String], logger: Logger, pusher: Pusher,
        started: (Dashboard) -> Void = { _ in }
    ) async throws {
        let store = source.recorder.store
        let dashboard = try Dashboard(store: store, forwards: source.recorder.forwards)
        let subscription = source.recorder.onChange { dashboard.storeChanged() }
        defer { source.recorder.unsubscribe(subscription) }
        var state = AppState(
            listen: source.listen, journal: source.journal, width: 80, height: 24, snapshot: store.snapshot(), themes: themes,
            now: .now(), utcOffset: TimeZone.current.secondsFromGMT(),
            compose: ComposeState(folder: receiver.webhooks.path, secrets: .process))
        // Listen first, then take what was read: a change in between arrives as an event.
        source.webhooks.onChange { dashboard.post(.webhooksLoaded($0)) }
        _ = state.update(.webhooksLoaded(source.webhooks.entries))
        state.themeIndex = themeIndex
        state.forwards = source.recorder.forwards
        state.remote = source.remote
        // R replays to the app calls are forwarded to, without asking.
        state.replayURL = receiver.forwardTo
        state.terminalBackground = .ofTerminal(ProcessInfo.processInfo.environment)
        if let first = problems.first {
            _ = state.update(.message(problems.count > 1 ? "\(first) (+\(problems.count - 1) more in the log)" : first, isError: true))
        }
        let effects = DashboardEffects(
            recorder: source.recorder, dashboard: dashboard, logger: logger, exportDirectory: FileManager.default.currentDirectoryPath,
            webhooks: source.webhooks, pusher: pusher, selfURL: source.selfURL, selfToken: source.selfToken)
        started(dashboard)
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
        await tail(session.recorder)
    }

    /// Prints until Ctrl-C, or until `ends` gives why what it shows cannot go on (returned then).
    @discardableResult
    private func tail(_ recorder: Recorder, ends: (@Sendable () async -> String?)? = nil) async -> String? {
        Output.line(TailLine.header)
        let utcOffset = TimeZone.current.secondsFromGMT()
        let (tail, subscription) = LineSink.subscribe(recorder, fd: 1) { entry in
            // The tail shows a few fields of each record: read back from its line, on the output thread.
            (try? DeliveryRecord(json: entry.line)).map { Array(TailLine.format($0, utcOffset: utcOffset).utf8) } ?? []
        }
        let why = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                await Termination.wait()
                return nil
            }
            if let ends { group.addTask { await ends() } }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        recorder.unsubscribe(subscription)
        tail.flush()
        return why
    }

    /// `--remote`: the dashboard (or the plain tail) over a receiver elsewhere, followed into
    /// a store here; nothing is received or journaled here.
    private func follow(
        _ remote: String, catalog: ThemeCatalog, chosen: (index: Int, problem: String?), plain: Bool, logger: Logger
    ) async throws {
        let recorder = Recorder(store: ReportStore(capacity: receiver.capacity), journal: nil, lastSeq: 0)
        let webhooks = WebhookWatcher(path: receiver.webhooks.path)
        let problems = webhooks.reload().map { "webhook file not used: \($0)" }
        let mailbox = DashboardMailbox()
        let token = try receiver.resolvedToken()
        let follower = RemoteFollower(
            base: remote, token: token, recorder: recorder,
            status: { status in
                logger.info("remote \(remote): \(status.text)")
                guard plain else {
                    mailbox.header("remote \(remote) — \(status.text)")
                    // A narrow header cuts the reason: the message line has it whole.
                    if case .stopped(let why) = status { _ = mailbox.message("following stopped: \(why)") }
                    return
                }
                switch status {
                case .loading: return
                case .stopped: return // said once, as the reason it exits 1
                // The countdown is for the header: a line when a wait begins.
                case .reconnecting(let left, let wait, _) where left < wait: return
                case .connected, .reconnecting: Output.warn("\(remote): \(status.text)")
                }
            },
            skipped: { why in
                logger.warning("\(why)")
                if plain || !mailbox.message(why) { Output.warn(why) }
            })
        let following = Task { await follower.run() }
        let watching = Task { await webhooks.watch() }
        if plain {
            Output.line("calldash: following \(remote) — Ctrl-C quits")
            let ends: @Sendable () async -> String? = {
                await withTaskCancellationHandler {
                    await following.value
                } onCancel: {
                    following.cancel()
                }
            }
            if let why = await tail(recorder, ends: ends) {
                watching.cancel()
                throw Failure(why)
            }
        } else {
            let pusher = Pusher()
            let source = DashboardSource(
                recorder: recorder, webhooks: webhooks, selfURL: remote, selfToken: token, listen: "remote \(remote) — connecting",
                journal: "no journal here: the remote receiver keeps it", remote: remote)
            defer {
                following.cancel()
                watching.cancel()
            }
            try await dashboard(
                source, themes: catalog.themes, themeIndex: chosen.index, problems: problems + catalog.errors.map(ThemeFiles.refusal),
                logger: logger, pusher: pusher
            ) { dashboard in mailbox.attach(dashboard) }
            await pusher.shutdown()
        }
        following.cancel()
        watching.cancel()
        _ = await following.value
    }
}
