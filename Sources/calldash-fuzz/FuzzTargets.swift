import CallDashUI
import Foundation

@testable import CallDashCore

/// One reader of untrusted bytes, driven by a fuzzer: it must return (a refusal is fine) and
/// never trap, overflow, read out of bounds or hang, whatever the bytes.
enum FuzzTarget: String, CaseIterable {
    case json, form, delivery, template, theme, webhook
    case journalLine = "journal-line"
    case indexEntry = "index-entry"
    case prettyBody = "pretty-body"
    /// A `/_calldash/stats` query string, a newline, then a report whose copies (and a retry)
    /// the statistics, their JSON and CSV, the JSON read back, and a `field=value` search run over.
    case stats
    /// A receiver's `/_calldash/reports` answer, as `replay --from` reads it, each record made
    /// into the request a replay sends; and the bytes as a URL to send to.
    case replay
    /// The bytes as a journal file, searched for a record by seq (bisecting its bytes).
    case journalSeek = "journal-seek"

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .json:
            _ = try? JSONFlatObject.parse(bytes)
            // Any text written as a JSON string reads back unchanged.
            let written = Array(Self.jsonString(text).utf8)
            let back = written.withUnsafeBufferPointer { p in
                var s = JSONScanner(p)
                return try? s.readString()
            }
            guard back == text else { fatalError("a JSON string does not read back as written") }
            let invisible: Set<UInt32> = [0x85, 0x9B, 0x61C, 0x200B, 0x2028, 0x202E, 0x2066, 0xFEFF]
            guard !String(decoding: written, as: UTF8.self).unicodeScalars.contains(where: { invisible.contains($0.value) }) else {
                fatalError("a character that acts on a terminal was written unescaped")
            }
        case .form:
            _ = bytes.withUnsafeBufferPointer { try? FormURLEncoding.decode($0, what: "form") }
            _ = FormURLEncoding.percentDecoded(text)
        case .delivery:
            // The first byte picks the content type; a webhook is registered so mapping runs too.
            let types = [nil, "application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8"]
            let type = bytes.first.map { types[Int($0) % types.count] } ?? nil
            _ = try? Self.parser.parse(
                path: "/crm/ack", query: [NameValue("webhook_id", "7")], contentType: type, body: Array(bytes.dropFirst()))
            // Read field by field, a JSON report gives what the general merge of its members gives.
            let body = Array(bytes.dropFirst())
            var merging = DeliveryParser()
            merging.readsJSONByField = false
            let direct = Result { () throws(Rejection) in try DeliveryParser().parse(query: [], contentType: type, body: body) }
            let merged = Result { () throws(Rejection) in try merging.parse(query: [], contentType: type, body: body) }
            guard direct == merged else { fatalError("a JSON report read field by field differs from its merge: \(direct) \(merged)") }
            // The masking of secrets reads every body too, through its escapes.
            _ = Self.redactor.redact(bytes)
        case .template:
            _ = try? Template(text, location: .url)
            if let w = try? Webhook(
                file: Array(#"{"id":1,"name":"f","url":"https://x/a?s={{status}}","body":[{"key":"k","value":"#.utf8)
                    + Array(Self.jsonString(text).utf8) + Array("}]}".utf8), path: "1.json"),
                let compiled = try? CompiledWebhook(w)
            {
                _ = try? compiled.render(.sample, secrets: SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "t0k+n/="]))
            }
        case .theme:
            _ = try? ThemeFile.parse(text, name: "fuzz", file: "fuzz.theme")
        case .webhook:
            _ = try? Webhook(file: bytes, path: "3.json")
        case .journalLine:
            _ = try? DeliveryRecord(json: bytes)
            // A forward attempt's line, and a record's line with a forward added as it is served.
            if var attempt = bytes.withUnsafeBufferPointer({ try? ForwardAttempt(json: $0) }) {
                guard (try? attempt.line().withUnsafeBufferPointer({ try ForwardAttempt(json: $0) })) == attempt else {
                    fatalError("a forward line does not read back as written")
                }
                attempt.seq = 1
                attempt.through = nil // a record's forward is one delivery's
                let served = DeliveryRecord.line(Array(#"{"seq":1,"received_at":"2026-12-01T10:00:00.000Z"}"#.utf8), forward: attempt)
                guard (try? DeliveryRecord(json: served))?.forward == attempt else {
                    fatalError("a served forward does not read back as written")
                }
            }
            _ = bytes.withUnsafeBufferPointer { try? ReportSummary(json: $0, location: .journal(offset: 0, length: UInt32(bytes.count))) }
        case .indexEntry:
            bytes.withUnsafeBufferPointer { p in
                guard SummaryCodec.isValidJournalEntry(p) else { return }
                // What passes the check is trusted by the store: every reader must stay in bounds.
                _ = SummaryCodec.decode(p, at: 0)
                SummaryCodec.forEachText(p, at: 0) { _, _ in true }
                let store = ReportStore(capacity: 4)
                store.append(packed: p)
                _ = store.snapshot().summaries()
            }
        case .prettyBody:
            _ = JSONPretty.lines(bytes)
        case .stats:
            let cut = bytes.firstIndex(of: 0x0A) ?? bytes.count
            let query = String(decoding: bytes[..<cut], as: UTF8.self)
            let body = Array(bytes[min(cut + 1, bytes.count)...])
            let recorder = Recorder(store: ReportStore(capacity: 8), journal: nil, lastSeq: 0)
            if let parsed = try? Self.parser.parse(path: "/a", query: [], contentType: "application/json", body: body) {
                for n in 0..<3 {
                    var fields = parsed.fields
                    if n == 1 { fields[.mid] = (fields[.mid] ?? "") + "-2" }
                    _ = try? recorder.record(
                        DeliveryRecord(
                            receivedAt: Timestamp(millis: 1_795_773_600_000 + Int64(n) * 61_000), method: "POST", path: "/a", fields: fields
                        ))
                }
            }
            let snapshot = recorder.store.snapshot()
            var found = 0
            snapshot.scan(StoreFilter(text: query)) { _ in found += 1 }
            guard let pairs = try? FormURLEncoding.decode(query, what: "query string"),
                var q = try? StatsQuery(parameters: pairs.map { ($0.name, $0.value) })
            else { return }
            q.seriesSpan = Int64(bytes.count % 5000)
            guard let s = try? CampaignStats.compute(snapshot, q, now: Timestamp(millis: 1_795_773_900_000)) else { return }
            _ = s.csv()
            _ = try? CampaignStats(json: s.json())
        case .replay:
            for r in DeliveryRecord.records(inPage: bytes).records {
                _ = Resend(r, to: "http://127.0.0.1:3000/app", replayOf: r.seq, extra: [NameValue("X-Test", "1")])
            }
            _ = RenderedRequest.urlProblem(text)
            _ = RenderedRequest.target(of: "http://" + text)
        case .journalSeek:
            let dir = NSTemporaryDirectory() + "calldash-fuzz-seek-\(getpid())"
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            guard FileManager.default.createFile(atPath: dir + "/j.jsonl", contents: Data(bytes)),
                let journal = try? Journal(path: dir + "/j.jsonl")
            else { return }
            for seq in [0, 1, 2, 3, 7, 100, UInt64.max] { _ = journal.line(ofSeq: seq) }
        }
    }

    static let redactor = SecretRedactor(secrets: ["s3cret-k3y", "4711", "k\u{E9}y \u{1F600}+/="])

    static let parser = DeliveryParser(
        webhooks: WebhookRegistry([
            (try? Webhook(
                file: Array(
                    #"{"id":7,"name":"crm","url":"https://crm.example/crm/ack?c={{mid}}","body":[{"key":"message_status","value":"{{status}}"},{"key":"to","value":"+{{to}}"}]}"#
                        .utf8), path: "7.json"))!
        ]))

    static func jsonString(_ s: String) -> String {
        var w = JSONWriter(capacity: s.utf8.count + 2)
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
