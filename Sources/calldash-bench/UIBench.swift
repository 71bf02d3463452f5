import ArgumentParser
import CallDashCore
import CallDashUI
import Foundation

/// The dashboard's speed on a full store: drawing a frame, filtering, searching and sorting.
/// Each figure has a baseline from the same run: the frame against the same frame over a
/// store of 1,000, the filters against a bare pass over the store reading one byte per report.
struct UIBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Measure frame, filter, search and sort times of the dashboard.")

    @Option(help: "Reports in the store.")
    var count = 1_000_000

    @Option(help: "Journal to replay (created when it does not have --count lines).")
    var path = "/tmp/calldash-bench/journal-1000000.jsonl"

    @Option(help: "Journal of the small store for the frame baseline.")
    var smallPath = "/tmp/calldash-bench/journal-1000.jsonl"

    func run() throws {
        let big = try Self.recorder(path: path, count: count)
        let small = try Self.recorder(path: smallPath, count: 1000)

        var frameBig = Self.state(big)
        var frameSmall = Self.state(small)
        let bigFrame = Self.frames(&frameBig)
        let smallFrame = Self.frames(&frameSmall)
        print("full frame 120x40 (header, list, detail) into the cell buffer, median of 200:")
        print(
            "  \(count) reports: \(Self.ms(bigFrame.median)) ms (p99 \(Self.ms(bigFrame.p99)) ms); 1000 reports: \(Self.ms(smallFrame.median)) ms; ratio \(String(format: "%.2f", bigFrame.median / smallFrame.median))x"
        )

        // The detail of a call with a 1 MiB body: built once when the call is selected.
        var huge = try big.record(for: big.store.snapshot()[0])
        huge.raw = Array(
            ("{" + (0..<20_000).map { "\"k\($0)\":\"\(String(repeating: "v", count: 40))\"" }.joined(separator: ",") + "}").utf8)
        let detail = Self.median(5) { _ = DetailContent.lines(for: huge, check: nil, checking: false, raw: false, utcOffset: 0) }
        print("detail of a call with a \(huge.raw.count / 1024) KiB JSON body (built once on selection): \(Self.ms(detail)) ms")

        var s = Self.state(big)
        let snap = big.store.snapshot()
        let scan = Self.median(5) {
            var n = 0
            for i in 0..<snap.count where snap.statusCode(at: i) == 2 { n += 1 }
            precondition(n >= 0)
        }
        print("filters over \(snap.count) reports (median of 5; baseline: one pass reading each status byte, \(Self.ms(scan)) ms):")
        var results: [String] = []
        func measure(_ label: String, _ key: String, _ events: () -> [AppEvent], reset: [AppEvent]) {
            var shown = 0
            var times: [Double] = []
            for _ in 0..<5 {
                let t0 = ContinuousClock.now
                for e in events() { Self.drive(&s, e, big) }
                times.append((ContinuousClock.now - t0).seconds)
                shown = s.visible.count
                for e in reset { Self.drive(&s, e, big) }
            }
            let t = times.sorted()[2]
            print("  \(label): \(Self.ms(t)) ms, \(shown) shown; \(String(format: "%.1f", t / scan))x the baseline")
            results.append("\(key)_ms=\(Self.ms(t))")
        }
        measure("status filter on (BUSY)", "status", { [.key(.char("3"))] }, reset: [.key(.char("3"))])
        Self.drive(&s, .key(.char("3")), big)
        measure("status filter off (all again)", "status_off", { [.key(.char("3"))] }, reset: [.key(.char("3"))])
        Self.drive(&s, .key(.char("3")), big)
        // A search as one filter (pasted, or the first frame after Enter), then typed key by key.
        let mid = snap[snap.count / 2].fields[.mid] ?? ""
        for (label, key, text) in [
            ("\"busy\"", "busy", "busy"), ("a number prefix \"91987\"", "number", "91987"),
            ("one mid", "mid", mid), ("no match", "none", "no-such-text")
        ] {
            let whole = Self.median(5) {
                var v = VisibleCalls()
                v.apply(CallFilter(text: text), sort: .time, to: snap)
            }
            // Typed key by key: what the UI thread spends on each key (the key, its frame, and
            // showing the answer), and, apart, the search that runs off the UI thread meanwhile.
            var (worstUI, worstSearch) = (0.0, 0.0)
            Self.drive(&s, .key(.char("/")), big)
            for c in text {
                var t0 = ContinuousClock.now
                let jobs = Self.drive(&s, .key(.char(c)), big)
                var ui = (ContinuousClock.now - t0).seconds
                for job in jobs {
                    t0 = ContinuousClock.now
                    let found = job.run()
                    worstSearch = max(worstSearch, (ContinuousClock.now - t0).seconds)
                    t0 = ContinuousClock.now
                    _ = Self.drive(&s, .searched(found), big)
                    ui += (ContinuousClock.now - t0).seconds
                }
                worstUI = max(worstUI, ui)
            }
            let shown = s.visible.count
            Self.drive(&s, .key(.escape), big)
            print(
                "  search \(label): \(Self.ms(whole)) ms as one filter, \(shown) shown (\(String(format: "%.1f", whole / scan))x the baseline); typed key by key, slowest key on the UI thread \(Self.ms(worstUI)) ms (\(String(format: "%.2f", worstUI / (Double(FrameClock.frameMillis) / 1000)))x a frame), its search off the UI thread \(Self.ms(worstSearch)) ms"
            )
            results.append(
                "search_\(key)_ms=\(Self.ms(whole)) search_\(key)_key_ui_ms=\(Self.ms(worstUI)) search_\(key)_key_search_ms=\(Self.ms(worstSearch))"
            )
        }
        measure("sort by duration", "sort_duration", { [.key(.char("s"))] }, reset: [.key(.char("s")), .key(.char("s"))])
        results.append(Self.compose(big))
        print(
            "RESULT detail_1mib_ms=\(Self.ms(detail)) frame_ms=\(Self.ms(bigFrame.median)) frame_small_ms=\(Self.ms(smallFrame.median)) scan_ms=\(Self.ms(scan)) \(results.joined(separator: " "))"
        )
    }

    /// The Compose preview: what one keystroke in the editor redoes (parse every template, render
    /// for the call, lay out the wire text), for a webhook with 50 body keys and a 1 KiB URL,
    /// against the provider's two-key example; then a whole Compose frame with that preview.
    static func compose(_ r: Recorder) -> String {
        let values = TemplateValues(try! r.record(for: r.store.snapshot()[0]))
        let secrets = SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "t0k3n"])
        let small = Webhook(
            id: 7, name: "crm", method: .post, format: .json, url: "https://crm.example/ack?call_id={{id}}&status={{status}}",
            headers: [NameValue("Authorization", "Bearer %token%")],
            body: [NameValue("to", "{{to}}"), NameValue("message_status", "{{status}}")])
        var url = "https://crm.example/calls/{{mid}}?status={{status}}"
        var n = 0
        while url.utf8.count < 1024 {
            let v = Template.variableNames[n % Template.variableNames.count]
            url += "&p\(n)={{\(v)}}"
            n += 1
        }
        var big = small
        big.url = url
        big.body = (0..<50).map { NameValue("key_\($0)", "value \($0): {{\(Template.variableNames[$0 % Template.variableNames.count])}}") }
        let runs = 2_000
        func time(_ w: Webhook) -> (median: Double, p99: Double) {
            var times: [Double] = []
            for _ in 0..<runs {
                let t = ContinuousClock.now
                let p = ComposePreview(w, values: values, secrets: secrets)
                times.append((ContinuousClock.now - t).seconds)
                precondition(p.error == nil)
            }
            times.sort()
            return (times[runs / 2], times[runs * 99 / 100])
        }
        let bigTime = time(big)
        let smallTime = time(small)
        print("compose preview re-rendered per keystroke (parse, render, lay out), median of \(runs):")
        print(
            "  50 body keys and a \(big.url.utf8.count)-byte URL: \(ms(bigTime.median)) ms (p99 \(ms(bigTime.p99)) ms); the 2-key example: \(ms(smallTime.median)) ms; ratio \(String(format: "%.1f", bigTime.median / smallTime.median))x"
        )
        var s = state(r)
        s.compose = ComposeState(folder: "/tmp/calldash-bench/webhooks", secrets: secrets)
        s.compose.draft = Draft(webhook: big, file: "/tmp/calldash-bench/webhooks/7.json")
        s.screen = .compose
        s.refreshPreview()
        var buffer = CellBuffer(width: s.width, height: s.height)
        let frame = median(200) { ComposeScreen.render(s, into: &buffer) }
        print("  Compose frame 120x40 with that preview into the cell buffer: \(ms(frame)) ms")
        return "compose_preview_ms=\(ms(bigTime.median)) compose_preview_small_ms=\(ms(smallTime.median)) compose_frame_ms=\(ms(frame))"
    }

    static func recorder(path: String, count: Int) throws -> Recorder {
        try BenchJournal.ensure(path: path, count: count)
        let store = ReportStore(capacity: count)
        let replay = try JournalReplay.replay(path: path, into: store) { print("warning: \($0)") }
        return Recorder(store: store, journal: try Journal(path: path), lastSeq: replay.lastSeq)
    }

    static func state(_ r: Recorder) -> AppState {
        var s = AppState(
            listen: "http://127.0.0.1:8080", journal: "journal", width: 120, height: 40, snapshot: r.store.snapshot(), now: .now())
        drive(&s, .storeChanged(r.store.snapshot(), now: .now()), r)
        return s
    }

    /// Runs an event and the record reads it asks for, as the terminal loop does.
    /// Runs an event and its frame as the terminal loop does; returns the searches it started,
    /// which the loop runs off the UI thread.
    @discardableResult
    static func drive(_ s: inout AppState, _ event: AppEvent, _ r: Recorder) -> [SearchJob] {
        var queue = [event, .frame]
        var jobs: [SearchJob] = []
        while !queue.isEmpty {
            let e = queue.removeFirst()
            for effect in s.update(e) {
                switch effect {
                case .loadRecord(let summary):
                    queue.append(.recordLoaded(seq: summary.seq, Result { try r.record(for: summary) }.mapError { LoadFailure("\($0)") }))
                case .search(let job): jobs.append(job)
                default: break
                }
            }
        }
        return jobs
    }

    /// The screen that is up, drawn 200 times after 20 to warm up: median and p99.
    static func frames(_ s: inout AppState) -> (median: Double, p99: Double) {
        var buffer = CellBuffer(width: s.width, height: s.height)
        var times: [Double] = []
        for n in 0..<220 {
            let t = ContinuousClock.now
            AppScreen.render(s, into: &buffer)
            if n >= 20 { times.append((ContinuousClock.now - t).seconds) }
        }
        times.sort()
        return (times[times.count / 2], times[times.count * 99 / 100])
    }

    static func median(_ n: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<n {
            let t = ContinuousClock.now
            body()
            times.append((ContinuousClock.now - t).seconds)
        }
        return times.sorted()[n / 2]
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
}
