import Foundation
import Testing

/// The Compose screen of the built dashboard in a real terminal: typing, the preview, a test
/// send and the round trip through the embedded receiver.
@Suite("calldash watch: the Compose screen in a terminal", .serialized)
struct ComposeDashboardTests {
    static let crm = """
        { "id": 7, "name": "crm", "method": "POST", "format": "json",
          "url": "https://crm.example/ack?call_id={{id}}&status={{status}}",
          "headers": [ { "name": "Authorization", "value": "Bearer %token%" } ],
          "body": [ { "key": "to", "value": "{{to}}" }, { "key": "status", "value": "{{status}}" } ] }
        """

    func folder(with webhook: String) throws -> String {
        let dir = temporaryFolder() + "/webhooks"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try webhook.write(toFile: dir + "/7.json", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("typing into the URL changes the preview, a typo is pointed at, and a call sent to itself comes back mapped")
    func composeRoundTrip() async throws {
        let hooks = try folder(with: Self.crm)
        let journal = hooks + "/../journal.jsonl"
        let t = try TmuxSession(
            ["watch", "--port", "0", "--journal", journal, "--webhooks", hooks], environment: ["CALLDASH_SECRET_TOKEN": "tok-123"])
        let port = try #require(await t.port(), "\(t.screen)")
        #expect(try await post(port, report(mid: "MID-R1", status: "BUSY")) == 200)
        #expect(await t.waitFor { $0.contains("MID-R1") }, "\(t.screen)")
        try t.press("c")
        #expect(
            await t.waitFor {
                $0.contains("crm · 7.json") && $0.contains("POST /ack?call_id=MID-R1&status=BUSY HTTP/1.1") && $0.contains("Bearer ••••••")
            }, "\(t.screen)")

        try t.press("j", "Enter", "End")
        try t.type("&x={{stauts}}")
        #expect(
            await t.waitFor { $0.contains("✗ url, column 62: unknown variable {{stauts}}") && $0.contains("did you mean {{status}}?") },
            "\(t.screen)")
        try t.press("C-w")
        try t.type("status}}")
        #expect(await t.waitFor { $0.contains("&status=BUSY&x=BUSY HTTP/1.1") }, "\(t.screen)")
        try t.press("Enter")

        // Rename the body key status → message_status (rows: url, method, format, header, to, status).
        try t.press("j", "j", "j", "j", "j", "r", "C-u")
        try t.type("message_status")
        try t.press("Enter")
        #expect(await t.waitFor { $0.contains(#"{"to":"919876543210","message_status":"BUSY"}"#) }, "\(t.screen)")

        try t.press("T")
        #expect(await t.waitFor { $0.contains("sent to itself → 200") && $0.contains("delivered") }, "\(t.screen)")
        try t.press("Escape", "f")
        #expect(await t.waitFor { $0.contains("2 of 2") && $0.contains("mapped through compose webhook #7") }, "\(t.screen)")
        // The renamed key filled the status: the BUSY filter shows both calls.
        try t.press("3")
        #expect(await t.waitFor { $0.contains("2 of 2") && $0.contains("BUSY ·") }, "\(t.screen)")

        // The call sent to itself carried the secret; the journal keeps it masked.
        let journaled = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(journaled.contains("message_status") && journaled.contains(#""webhook":7"#))
        #expect(!journaled.contains("tok-123"))

        try t.press("c", "s")
        #expect(await t.waitFor { $0.contains("saved crm to 7.json") }, "\(t.screen)")
        let saved = try String(contentsOfFile: hooks + "/7.json", encoding: .utf8)
        #expect(saved.contains(#""key": "message_status", "value": "{{status}}""#))
        #expect(saved.contains("Bearer %token%") && !saved.contains("tok-123"))
        try t.press("Escape", "q")
        #expect(await t.waitFor { $0.contains("EXITED:0") }, "\(t.screen)")
    }

    @Test("a call sent to itself carries the receiver's --token in place of the webhook's own, so a guarded receiver takes it")
    func sendToItselfWithToken() async throws {
        let hooks = try folder(with: Self.crm)
        let t = try TmuxSession(
            ["watch", "--port", "0", "--no-journal", "--webhooks", hooks, "--token", "recv-tok"],
            environment: ["CALLDASH_SECRET_TOKEN": "tok-123"])
        let port = try #require(await t.port(), "\(t.screen)")
        #expect(try await post(port, report(mid: "MID-T1"), headers: [("Authorization", "Bearer recv-tok")]) == 200)
        #expect(await t.waitFor { $0.contains("MID-T1") }, "\(t.screen)")
        try t.press("c")
        #expect(await t.waitFor { $0.contains("crm · 7.json") }, "\(t.screen)")
        try t.press("T")
        #expect(await t.waitFor { $0.contains("sent to itself → 200") && $0.contains("delivered") }, "\(t.screen)")
        try t.press("Escape", "q")
        #expect(await t.waitFor { $0.contains("EXITED:0") }, "\(t.screen)")
    }

    @Test("a test send to an endpoint that does not answer gives a verdict, and the UI keeps running")
    func testSendVerdict() async throws {
        let hooks = try folder(with: Self.crm.replacingOccurrences(of: "https://crm.example/ack", with: "http://127.0.0.1:9/hook"))
        let t = try TmuxSession(["watch", "--port", "0", "--no-journal", "--webhooks", hooks], environment: ["CALLDASH_SECRET_TOKEN": "x"])
        #expect(await t.port() != nil)
        try t.press("c")
        #expect(await t.waitFor { $0.contains("POST /hook?call_id=1234-1333-00042") }, "\(t.screen)")
        try t.press("P")
        #expect(
            await t.waitFor {
                $0.contains("✗ test: not delivered: connection refused by 127.0.0.1:9")
                    && $0.contains("the provider counts that")
            }, "\(t.screen)")
        try t.press("?")
        #expect(await t.waitFor { $0.contains("post a test of the request to the webhook's URL") }, "\(t.screen)")
    }
}
