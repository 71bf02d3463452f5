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

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .json:
            _ = try? JSONFlatObject.parse(bytes)
        case .form:
            _ = bytes.withUnsafeBufferPointer { try? FormURLEncoding.decode($0, what: "form") }
            _ = FormURLEncoding.percentDecoded(text)
        case .delivery:
            // The first byte picks the content type; a webhook is registered so mapping runs too.
            let types = [nil, "application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8"]
            let type = bytes.first.map { types[Int($0) % types.count] } ?? nil
            _ = try? Self.parser.parse(
                path: "/crm/ack", query: [NameValue("webhook_id", "7")], contentType: type, body: Array(bytes.dropFirst()))
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
        }
    }

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
