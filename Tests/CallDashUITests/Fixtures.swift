import CallDashCore
import Foundation

@testable import CallDashUI

/// 2026-11-27 10:00:00 UTC: every fixture's clock, so snapshots never depend on the day.
let baseMillis: Int64 = 1_795_773_600_000

/// A standard report as the receiver records it, arriving `second` seconds after the base time.
func report(_ n: Int, status: String? = "ANSWER", duration: Int = 42, second: Int? = nil, recording: Bool = true) -> DeliveryRecord {
    var f = ReportFields()
    f[.webhookID] = "41"
    f[.bridge] = "918068280000"
    f[.from] = "918068280000"
    f[.to] = "9198765\(String(format: "%05d", n))"
    f[.source] = n % 3 == 0 ? "Click2Call" : "OBD"
    f[.mid] = "5786-9668-\(String(format: "%05d", n))"
    f[.flowID] = "917"
    f[.startAt] = "2026-11-27 15:29:00"
    f[.endAt] = "2026-11-27 15:29:\(String(format: "%02d", min(59, duration)))"
    f[.duration] = "\(duration)"
    f[.status] = status
    if recording { f[.recordingURL] = "https://rec.example.com/obd/5786-9668-\(String(format: "%05d", n)).mp3" }
    var body = "{" + f.present.map { "\"\($0.field.rawValue)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
    body = body.replacingOccurrences(of: "\"bridge\":\"918068280000\"", with: "\"bridge\":918068280000")
    return DeliveryRecord(
        receivedAt: Timestamp(millis: baseMillis + Int64(second ?? n) * 1000), method: "POST", path: "/ack/receive",
        headers: [NameValue("Host", "127.0.0.1:8080"), NameValue("Content-Type", "application/json")],
        remote: "127.0.0.1:50000", contentType: "application/json", fields: f, raw: Array(body.utf8))
}

/// A delivery the receiver refused: malformed JSON with the error position.
func rejected(second: Int) -> DeliveryRecord {
    let raw = "{\"status\":\"ANSWER\",\n \"to\":919876543210,}"
    return DeliveryRecord(
        receivedAt: Timestamp(millis: baseMillis + Int64(second) * 1000), method: "POST", path: "/ack/receive",
        remote: "127.0.0.1:50001", contentType: "application/json", responseCode: 400, outcome: .rejected,
        error: "malformed JSON: trailing comma before '}' at byte 39", raw: Array(raw.utf8))
}

/// A store with the given deliveries recorded in order (in memory, no journal).
func recorder(_ records: [DeliveryRecord], capacity: Int = 1_000_000) -> Recorder {
    let r = Recorder(store: ReportStore(capacity: capacity), journal: nil, lastSeq: 0)
    for rec in records { try! r.record(rec) }
    return r
}

let statuses = ["ANSWER", "NOANSWER", "BUSY", "ANSWER", "CANCEL", "FAILED", "ANSWER", "CONGESTION", "CHANUNAVAIL", "ANSWER"]

/// Twenty standard reports with a mix of statuses and durations, and one rejected delivery.
func mixedRecorder() -> Recorder {
    var recs = (1...20).map { n in
        report(n, status: statuses[n % statuses.count], duration: statuses[n % statuses.count] == "ANSWER" ? 10 + n * 7 : 0)
    }
    recs.insert(rejected(second: 11), at: 11)
    return recorder(recs)
}

/// A dashboard driven like the terminal layer drives it: effects that read records are
/// performed at once against `recorder`, and their results fed back.
struct Harness {
    var state: AppState
    let recorder: Recorder
    /// Every effect `update` asked for, in order.
    var effects: [Effect] = []

    init(
        _ recorder: Recorder, width: Int = 120, height: Int = 40, themes: [Theme] = [.dark], webhooks: String = "",
        secrets: [String: String] = [:]
    ) {
        self.recorder = recorder
        state = AppState(
            listen: "http://127.0.0.1:8080", journal: "journal ~/.local/state/calldash/journal.jsonl",
            width: width, height: height, snapshot: recorder.store.snapshot(), themes: themes,
            now: Timestamp(millis: baseMillis + 60_000), utcOffset: 0,
            compose: ComposeState(folder: webhooks, secrets: SecretSource(environment: secrets)))
        send(.storeChanged(recorder.store.snapshot(), now: state.now))
        if !webhooks.isEmpty { send(.webhooksLoaded(WebhookFolder(path: webhooks).load())) }
    }

    /// Handles an event, then draws a frame, as each pass of the terminal loop does.
    mutating func send(_ event: AppEvent) {
        var queue = [event, .frame]
        while let e = queue.first {
            queue.removeFirst()
            for effect in state.update(e) {
                effects.append(effect)
                queue += perform(effect)
            }
        }
    }

    /// What the executable does for an effect, against the real store and webhooks folder;
    /// sends are left to the end-to-end tests.
    func perform(_ effect: Effect) -> [AppEvent] {
        let folder = WebhookFolder(path: state.compose.folder)
        switch effect {
        case .search(let job):
            return [.searched(job.run())]
        case .computeStats(let job):
            return [.statsComputed(job.run())]
        case .loadRecord(let s):
            return [.recordLoaded(seq: s.seq, Result { try recorder.record(for: s) }.mapError { LoadFailure("\($0)") })]
        case .reloadWebhooks:
            return [.webhooksLoaded(folder.load())]
        case .saveWebhook(let w, let file, let expected, let overwrite):
            let result = Result { () throws(WebhookFolder.Failure) in
                try folder.save(w, to: file, expected: expected, overwriting: overwrite)
            }
            return [.webhookSaved(file: file, w, result), .webhooksLoaded(folder.load())]
        case .deleteWebhook(let file, let expected):
            var failure: WebhookFolder.Failure?
            do { try folder.delete(file, expected: expected) } catch { failure = error }
            return [.webhookDeleted(file: file, failure: failure), .webhooksLoaded(folder.load())]
        default:
            return []
        }
    }

    mutating func press(_ keys: Key...) { for k in keys { send(.key(k)) } }

    mutating func type(_ text: String) { for c in text { send(.key(.char(c))) } }

    /// New deliveries arrive and the UI takes the store's new version.
    mutating func arrive(_ records: [DeliveryRecord]) {
        for r in records { try! recorder.record(r) }
        send(.storeChanged(recorder.store.snapshot(), now: state.now))
    }

    var screen: CellBuffer {
        var b = CellBuffer(width: state.width, height: state.height)
        AppScreen.render(state, into: &b)
        return b
    }

    var text: String { screen.lines.joined(separator: "\n") }

    /// The seqs of the rows shown, top to bottom.
    var rows: [UInt64] { (0..<state.visible.count).compactMap { state.seq(ofRow: $0) } }
}
