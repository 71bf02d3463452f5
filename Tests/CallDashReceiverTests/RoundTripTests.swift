import CallDashClient
import CallDashCore
import Testing

@testable import CallDashReceiver

/// Reports whose values hold what breaks naive encoders: quotes, `&`, `=`, `+`, `#`, `%`,
/// line breaks, non-ASCII, 19-digit numbers.
private struct HostileReports {
    var rng: SplitMix64
    let pieces = [
        "a", "Z", "0", "\"", "&", "=", "+", "#", "%", "%20", "\n", "\r\n", " ", "é", "漢字", "😀", "\\", "/", "?", "'", ";", "{{", "}}", "--",
        "1234567890123456789"
    ]

    mutating func value() -> String {
        var s = ""
        for _ in 0..<(1 + Int(rng.next() % 6)) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return s
    }

    mutating func report() -> ReportFields {
        var f = ReportFields()
        for field in ReportField.allCases where field != .webhookID { f[field] = value() }
        return f
    }
}

@Suite("Round trip: a rendered compose payload, delivered to the receiver, maps back to the same fields")
struct RoundTripTests {
    static let combinations = Webhook.Method.allCases.flatMap { m in Webhook.Format.allCases.map { (m, $0) } }

    @Test(arguments: combinations)
    func everyFieldSurvivesRenderDeliverAndMapBack(_ method: Webhook.Method, _ format: Webhook.Format) async throws {
        // The path carries a variable, the URL's query two more, the body every field under another name.
        let renamed = ReportField.allCases.filter { $0 != .webhookID && $0 != .flowID && $0 != .mid }
        let hook = Webhook(
            id: 40, name: "round trip", method: method, format: format,
            url: "http://127.0.0.1:1/cb/{{flow_id}}/x?call_id={{id}}&st={{status}}",
            headers: [NameValue("X-Source", "round-trip")],
            body: renamed.map { NameValue("my_" + $0.rawValue, "v={{\($0.rawValue)}}") })
        try await TestReceiver.run(webhooks: WebhookRegistry([hook])) { r async throws in
            let compiled = try CompiledWebhook(hook)
            let pusher = Pusher()
            var reports = HostileReports(rng: SplitMix64(seed: UInt64(method.rawValue.count * 7 + format.rawValue.count)))
            var failure: (any Error)?
            do {
                for _ in 0..<25 {
                    let fields = reports.report()
                    let rendered = try compiled.render(TemplateValues(fields: fields), secrets: SecretSource(environment: [:]))
                    let verdict = await pusher.sendOnce(rendered, to: r.base)
                    #expect(verdict.status == 200, "\(verdict)")
                    let record = try r.last()
                    #expect(record.outcome == .accepted, "\(record.error ?? "")")
                    #expect(record.webhook == 40)
                    for field in ReportField.allCases where field != .webhookID {
                        #expect(record.fields[field] == fields[field], "\(method) \(format) \(field.rawValue)")
                    }
                }
            } catch { failure = error }
            await pusher.shutdown()
            if let failure { throw failure }
        }
    }
}
