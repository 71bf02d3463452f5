import Foundation
import Testing

@Suite("calldash render, as built")
struct RenderTests {
    func webhookFile(_ folder: String, _ text: String, id: Int = 7) throws -> String {
        let path = folder + "/\(id).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let crm = """
        { "id": 7, "name": "crm", "method": "POST", "format": "json",
          "url": "https://crm.example:8443/ack?call_id={{id}}&status={{status}}",
          "headers": [ { "name": "Authorization", "value": "Bearer %token%" } ],
          "body": [ { "key": "to", "value": "{{to}}" }, { "key": "message_status", "value": "{{status}}" } ] }
        """

    @Test("render prints the raw HTTP/1.1 request for the sample call, secrets masked")
    func rawRequest() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try webhookFile(dir, crm)
        let p = try CalldashProcess(["render", "--webhook", "7", "--webhooks", dir], environment: ["CALLDASH_SECRET_TOKEN": "t0k"])
        #expect(await p.exitCode() == 0)
        let body = #"{"to":"918867130000","message_status":"ANSWER"}"#
        #expect(
            p.stdout
                == "POST /ack?call_id=1234-1333-00042&status=ANSWER HTTP/1.1\r\nHost: crm.example:8443\r\nContent-Type: application/json\r\nAuthorization: Bearer ••••••\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
    }

    @Test("render --curl --reveal --report prints a command with the real secret and the report's values")
    func curlCommand() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try webhookFile(dir, crm)
        try #"{"mid":"M'1","status":"BUSY","to":"0919"}"#.write(toFile: dir + "/r.json", atomically: true, encoding: .utf8)
        let p = try CalldashProcess(
            ["render", "--webhook", file, "--report", dir + "/r.json", "--curl", "--reveal"], environment: ["CALLDASH_SECRET_TOKEN": "t0k"])
        #expect(await p.exitCode() == 0)
        #expect(
            p.stdout
                == #"curl -X POST 'https://crm.example:8443/ack?call_id=M%271&status=BUSY' -H 'Content-Type: application/json' -H 'Authorization: Bearer t0k' --data-binary '{"to":"0919","message_status":"BUSY"}'"#
                + "\n")
    }

    @Test("a template mistake exits non-zero with the positioned reason; an unset secret renders as a placeholder, and --reveal refuses")
    func errors() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let typo = try webhookFile(dir, #"{"url": "https://x/{{stauts}}"}"#, id: 1)
        let r1 = try await runCalldash(["render", "--webhook", typo])
        #expect(r1.code == 1)
        #expect(r1.stderr == "calldash: url, column 13: unknown variable {{stauts}} (did you mean status?)\n")
        let file = try webhookFile(dir, crm)
        let r2 = try await runCalldash(["render", "--webhook", file])
        #expect(r2.code == 0)
        #expect(r2.stdout.contains("Authorization: Bearer ‹unset CALLDASH_SECRET_TOKEN›"), "\(r2.stdout)")
        #expect(r2.stderr == "calldash render: secret %token% is not set: export CALLDASH_SECRET_TOKEN (shown as a placeholder)\n")
        let r3 = try await runCalldash(["render", "--webhook", file, "--reveal", "--curl"])
        #expect(r3.code == 1 && r3.stdout.isEmpty, "nothing runnable is printed: \(r3.stdout)")
    }
}

@Suite("calldash push --webhook, as built")
struct PushWebhookTests {
    @Test("push --webhook sends the rendered request to --to's host, keeping the rendered path and query")
    func pushThroughWebhook() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        { "id": 3, "name": "crm", "method": "PUT", "format": "form",
          "url": "https://crm.example/hooks/{{id}}?status={{status}}",
          "headers": [ { "name": "Authorization", "value": "Bearer %token%" } ],
          "body": [ { "key": "message_status", "value": "{{status}}" }, { "key": "callee", "value": "{{to}}" } ] }
        """.write(toFile: dir + "/3.json", atomically: true, encoding: .utf8)
        try #"{"mid":"W-1","status":"NO ANSWER","to":"0919"}"#.write(toFile: dir + "/r.json", atomically: true, encoding: .utf8)
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal"])
        let port = try #require(await serve.listeningPort())
        let push = try CalldashProcess(
            ["push", "--to", "http://127.0.0.1:\(port)", "--webhook", "3", "--webhooks", dir, "--report", dir + "/r.json", "--json"],
            environment: ["CALLDASH_SECRET_TOKEN": "t0k"])
        #expect(await push.exitCode() == 0, "\(push.stderr)")
        #expect(push.stdout == #"{"sent":1,"delivered":1,"failed":0,"not_sent":0,"attempts":1}"# + "\n")
        #expect(await serve.wait { $0.stdout.contains("\"seq\":1") })
        let line = serve.stdout
        #expect(line.contains(#""method":"PUT","path":"/hooks/W-1""#), "\(line)")
        #expect(line.contains(#""query":[{"name":"status","value":"NO ANSWER"}]"#), "\(line)")
        #expect(line.contains(#""extra":{"message_status":"NO ANSWER","callee":"0919"}"#), "\(line)")
        #expect(line.contains(#""content_type":"application/x-www-form-urlencoded""#), "\(line)")
    }

    @Test("serve --webhooks maps compose payloads back to the standard fields, names broken files, and picks up new ones")
    func serveMapsBack() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        { "id": 3, "name": "crm", "method": "PUT", "format": "form",
          "url": "https://crm.example/hooks/{{id}}?status={{status}}",
          "body": [ { "key": "message_status", "value": "{{status}}" }, { "key": "callee", "value": "{{to}}" } ] }
        """.write(toFile: dir + "/3.json", atomically: true, encoding: .utf8)
        try "{\"url\": \"x\",\n \"format\": \"xml\"}".write(toFile: dir + "/4.json", atomically: true, encoding: .utf8)
        try #"{"mid":"W-1","status":"NO ANSWER","to":"0919"}"#.write(toFile: dir + "/r.json", atomically: true, encoding: .utf8)
        let serve = try CalldashProcess(["serve", "--port", "0", "--no-journal", "--webhooks", dir])
        let port = try #require(await serve.listeningPort())
        #expect(
            serve.stderr.contains("webhook file not used: \(dir)/4.json:2: unknown format \"xml\": use json, form or multipart"),
            "\(serve.stderr)")
        let push = try await runCalldash([
            "push", "--to", "http://127.0.0.1:\(port)", "--webhook", "3", "--webhooks", dir, "--report", dir + "/r.json"
        ])
        #expect(push.code == 0, "\(push.stderr)")
        #expect(await serve.wait { $0.stdout.contains("\"seq\":1") })
        #expect(serve.stdout.contains(#""fields":{"to":"0919","mid":"W-1","status":"NO ANSWER"},"extra":{}"#), "\(serve.stdout)")
        #expect(serve.stdout.contains(#""webhook":3}"#))

        // A webhook saved while serving is used from the next second on.
        try """
        { "id": 5, "name": "ops", "method": "POST", "format": "json", "url": "http://ops.example/in", "body": [ { "key": "state", "value": "{{status}}" } ] }
        """.write(toFile: dir + "/5.json", atomically: true, encoding: .utf8)
        #expect(
            await waitUntil(seconds: 10) {
                _ = try? await runCalldash([
                    "push", "--to", "http://127.0.0.1:\(port)", "--webhook", "5", "--webhooks", dir, "--report", dir + "/r.json"
                ])
                return serve.stdout.contains(#""fields":{"status":"NO ANSWER"},"extra":{},"#) && serve.stdout.contains(#""webhook":5}"#)
            }, "\(serve.stdout)")
        serve.signal(SIGTERM)
        #expect(await serve.exitCode() == 0)
    }

    @Test("a webhook whose secret is not set sends nothing and says so once, before starting")
    func unrenderable() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"url": "https://x/a", "headers": [{"name": "Authorization", "value": "Bearer %token%"}]}"#.write(
            toFile: dir + "/1.json", atomically: true, encoding: .utf8)
        let r = try await runCalldash(["push", "--to", "http://127.0.0.1:9", "--webhook", dir + "/1.json", "--count", "2"])
        #expect(r.code == 1)
        #expect(r.stderr == "calldash: --webhook \(dir)/1.json: nothing sent: secret %token% is not set: export CALLDASH_SECRET_TOKEN\n")
        #expect(r.stdout.isEmpty, "no summary of sends that never happened: \(r.stdout)")
    }
}
