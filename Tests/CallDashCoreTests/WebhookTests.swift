import Testing

@testable import CallDashCore

@Suite("Compose webhooks: files and the requests they render")
struct WebhookTests {
    let crm = Webhook(
        id: 7, name: "crm", method: .post, format: .json,
        url: "https://crm.example/ack?call_id={{id}}&status={{status}}",
        headers: [NameValue("Authorization", "Bearer %token%")],
        body: [NameValue("to", "{{to}}"), NameValue("message_status", "{{status}}")])
    let call = TemplateValues(fields: ReportFields([.status: "NO ANSWER&x", .to: "919876543210", .mid: "M-1"]))
    let secrets = SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "t0k"])

    @Test func theProductsExampleFileReadsAndWritesBack() throws {
        let text = """
            { "id": 7, "name": "crm", "method": "POST", "format": "json",
              "url": "https://crm.example/ack?call_id={{id}}&status={{status}}",
              "headers": [ { "name": "Authorization", "value": "Bearer %token%" } ],
              "body": [ { "key": "to", "value": "{{to}}" },
                        { "key": "message_status", "value": "{{status}}" } ] }
            """
        let w = try Webhook(file: Array(text.utf8), path: "7.json")
        #expect(w == crm)
        #expect(try Webhook(file: Array(w.fileText.utf8), path: "7.json") == crm)
    }

    @Test(arguments: [
        (
            "{\"url\": \"x\", \"method\": \"DELETE\"}",
            WebhookFileError(file: "w.json", line: 1, problem: "unknown method \"DELETE\": use GET, POST or PUT")
        ),
        (
            "{\"url\": \"x\",\n \"format\": \"xml\"}",
            WebhookFileError(file: "w.json", line: 2, problem: "unknown format \"xml\": use json, form or multipart")
        ),
        (
            "{\"url\": \"x\",\n\n \"body\": [{\"key\": \"a\", \"value\": \"1\"}, {\"key\": \"a\", \"value\": \"2\"}]}",
            WebhookFileError(file: "w.json", line: 3, problem: "body key \"a\" appears twice")
        ),
        ("{\"url\": \"x\",}", WebhookFileError(file: "w.json", line: 1, problem: "trailing comma before '}'")),
        ("{\"name\": \"n\"}", WebhookFileError(file: "w.json", line: 1, problem: "no \"url\""))
    ])
    func brokenFilesSayWhichLineAndWhy(_ text: String, _ error: WebhookFileError) {
        #expect(throws: error) { try Webhook(file: Array(text.utf8), path: "w.json") }
    }

    @Test func jsonWebhookRendersTheExactRequest() throws {
        let r = try crm.render(call, secrets: secrets)
        #expect(r.method == "POST")
        #expect(r.url == "https://crm.example/ack?call_id=M-1&status=NO%20ANSWER%26x")
        #expect(r.headers == [NameValue("Content-Type", "application/json"), NameValue("Authorization", "Bearer t0k")])
        #expect(r.maskedHeaders.last == NameValue("Authorization", "Bearer ••••••"))
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"to":"919876543210","message_status":"NO ANSWER&x"}"#)
    }

    @Test func sentToAGuardedReceiverTheRequestCarriesItsTokenInsteadOfItsOwnAuthorization() throws {
        var r = try crm.render(call, secrets: secrets)
        r.headers.append(NameValue("authorization", "Basic other"))
        r.authorize(bearer: "recv-tok")
        #expect(r.headers == [NameValue("Content-Type", "application/json"), NameValue("Authorization", "Bearer recv-tok")])
        #expect(r.maskedHeaders.filter { $0.name.lowercased() == "authorization" } == [NameValue("Authorization", "Bearer ••••••")])
        #expect(!r.curl(reveal: false).contains("recv-tok") && r.curl(reveal: true).contains("Bearer recv-tok"))
    }

    @Test func formAndGetPutTheValuesWhereTheProviderDoes() throws {
        var w = crm
        w.format = .form
        #expect(
            String(decoding: try w.render(call, secrets: secrets).body, as: UTF8.self) == "to=919876543210&message_status=NO+ANSWER%26x")
        w.method = .get
        let g = try w.render(call, secrets: secrets)
        #expect(g.body.isEmpty)
        #expect(g.url == "https://crm.example/ack?call_id=M-1&status=NO%20ANSWER%26x&to=919876543210&message_status=NO%20ANSWER%26x")
    }

    @Test func multipartUsesABoundaryNoValueContains() throws {
        var w = crm
        w.format = .multipart
        let r = try w.render(call, secrets: secrets)
        let type = try #require(r.headers.first?.value)
        let boundary = String(type.dropFirst("multipart/form-data; boundary=".count))
        let body = String(decoding: r.body, as: UTF8.self)
        #expect(
            body
                == "--\(boundary)\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n919876543210\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"message_status\"\r\n\r\nNO ANSWER&x\r\n--\(boundary)--\r\n"
        )
    }

    @Test func aBadHeaderNameOrALineBreakInAHeaderIsNeverRendered() {
        var w = crm
        w.headers = [NameValue("X Bad", "1")]
        #expect(throws: TemplateError(location: .headerName(0, name: "X Bad"), column: 1, problem: "\"X Bad\" is not a valid header name"))
        {
            try w.render(call, secrets: secrets)
        }
        w.headers = [NameValue("X-Status", "{{status}}")]
        let evil = TemplateValues(fields: ReportFields([.status: "A\r\nSet-Cookie: x"]))
        #expect(throws: TemplateError.self) { try w.render(evil, secrets: secrets) }
    }

    @Test func textTypedIntoABodyValueIsEscapedWithIt() throws {
        var w = crm
        w.body = [NameValue("note", #"say "hi" & {{to}}"#)]
        #expect(String(decoding: try w.render(call, secrets: secrets).body, as: UTF8.self) == #"{"note":"say \"hi\" & 919876543210"}"#)
        w.format = .form
        #expect(String(decoding: try w.render(call, secrets: secrets).body, as: UTF8.self) == "note=say+%22hi%22+%26+919876543210")
    }

    @Test func aSpaceInTheUrlOrALineBreakTypedIntoAHeaderIsAnErrorAtItsColumn() {
        var w = crm
        w.url = "https://crm.example/a b"
        #expect(
            throws: TemplateError(
                location: .url, column: 22, problem: "a URL cannot hold spaces or control characters: write %20 for a space")
        ) { try w.render(call, secrets: secrets) }
        w = crm
        w.headers = [NameValue("X-A", "ok\nno")]
        #expect(
            throws: TemplateError(
                location: .headerValue(0, name: "X-A"), column: 3, problem: "a header value cannot hold a line break or NUL")
        ) {
            try w.render(call, secrets: secrets)
        }
    }
}
