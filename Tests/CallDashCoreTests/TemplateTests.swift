import Testing

@testable import CallDashCore

@Suite("Compose templates")
struct TemplateTests {
    let call = TemplateValues(
        fields: ReportFields([
            .status: "ANSWER", .to: "919876543210", .mid: "5786-9668-0DEPT", .bridge: "0918068280000",
            .recordingURL: "https://rec.example.com/a b&c=d+e#f%.mp3"
        ]))
    let secrets = SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "s3cr3t+/="])

    func render(_ s: String, _ context: TemplateContext, at location: TemplateLocation = .url) throws -> RenderedText {
        try Template(s, location: location).render(call, secrets: secrets, context: context)
    }

    @Test func variablesRenderTheCallsValuesExactlyAsSent() throws {
        #expect(try render("{{bridge}}/{{ status }}", .multipartValue).text == "0918068280000/ANSWER")
    }

    @Test func idFallsBackToMidAndAMissingFieldRendersEmptyAndIsListed() throws {
        let r = try render("{{id}}|{{duration}}|", .multipartValue)
        #expect(r.text == "5786-9668-0DEPT||")
        #expect(r.emptyVariables == ["duration"])
        let own = try Template("{{id}}", location: .url).render(
            TemplateValues(fields: call.fields, id: "77"), secrets: secrets, context: .urlPath)
        #expect(own.text == "77")
    }

    @Test(arguments: [
        (TemplateContext.urlPath, "https%3A%2F%2Frec.example.com%2Fa%20b%26c%3Dd%2Be%23f%25.mp3"),
        (.urlQuery, "https%3A%2F%2Frec.example.com%2Fa%20b%26c%3Dd%2Be%23f%25.mp3"),
        (.formValue, "https%3A%2F%2Frec.example.com%2Fa+b%26c%3Dd%2Be%23f%25.mp3"),
        (.jsonString, "https://rec.example.com/a b&c=d+e#f%.mp3"),
        (.multipartValue, "https://rec.example.com/a b&c=d+e#f%.mp3"),
        (.header, "https://rec.example.com/a b&c=d+e#f%.mp3")
    ])
    func eachContextEscapesTheSameValueItsOwnWay(_ context: TemplateContext, _ expected: String) throws {
        #expect(try render("{{recording_url}}", context).text == expected)
    }

    @Test func jsonEscapingCoversQuotesBackslashesAndControls() {
        #expect(TemplateContext.jsonString.escape("a\"b\\c\nd\u{1}é") == "a\\\"b\\\\c\\nd\\u0001é")
    }

    @Test func urlValuesAreQueryEncodedAfterTheQuestionMark() throws {
        let r = try render("https://crm.example/ack/{{to}}?s={{status}}&u={{recording_url}}", .urlPath)
        #expect(r.text == "https://crm.example/ack/919876543210?s=ANSWER&u=https%3A%2F%2Frec.example.com%2Fa%20b%26c%3Dd%2Be%23f%25.mp3")
    }

    @Test func aHeaderValueWithALineBreakIsRefused() {
        let values = TemplateValues(fields: ReportFields([.status: "ANSWER\r\nX-Evil: 1"]))
        #expect(
            throws: TemplateError(
                location: .headerValue(0, name: "X-Status"), column: 1,
                problem: "{{status}} holds a line break, which a header cannot carry",
                isAboutValues: true)
        ) {
            try Template("{{status}}", location: .headerValue(0, name: "X-Status")).render(values, secrets: secrets, context: .header)
        }
    }

    @Test func secretsRenderForSendingAndMaskedForShowing() throws {
        let r = try render("Bearer %token%", .header, at: .headerValue(0, name: "Authorization"))
        #expect(r.text == "Bearer s3cr3t+/=")
        #expect(r.masked == "Bearer ••••••")
        #expect(try render("?t=%token%", .urlPath).text == "?t=s3cr3t%2B%2F%3D")
    }

    @Test func anUnsetSecretRendersAsAPlaceholderNamingTheVariableAndBlocksSending() throws {
        let r = try render("Bearer %api_key%", .header, at: .headerValue(0, name: "Authorization"))
        #expect(r.text == "Bearer ‹unset CALLDASH_SECRET_API_KEY›" && r.masked == r.text)
        #expect(r.unsetSecrets == ["api_key"])
        let hook = Webhook(
            id: 1, name: "t", method: .post, format: .json, url: "https://x/a", headers: [NameValue("Authorization", "Bearer %api_key%")])
        let request = try hook.render(.sample, secrets: SecretSource(environment: [:]))
        #expect(request.unsendable == "secret %api_key% is not set: export CALLDASH_SECRET_API_KEY")
    }

    @Test(arguments: [
        ("https://x/{{stauts}}", TemplateError(location: .url, column: 13, problem: "unknown variable {{stauts}}", suggestion: "status")),
        ("https://x/{{nope}}", TemplateError(location: .url, column: 13, problem: "unknown variable {{nope}}")),
        ("a {{to", TemplateError(location: .url, column: 3, problem: "{{ is not closed with }}")),
        ("a {{ }} b", TemplateError(location: .url, column: 3, problem: "empty variable name in {{}}")),
        ("Bearer %token", TemplateError(location: .url, column: 8, problem: "secret %token is not closed: write %token%")),
        ("Bearer %my-token%", TemplateError(location: .url, column: 8, problem: "bad secret name \"my-token\": use letters, digits and _")),
        (
            "{{recording_ulr}}",
            TemplateError(location: .url, column: 3, problem: "unknown variable {{recording_ulr}}", suggestion: "recording_url")
        )
    ])
    func mistakesAreErrorsWithTheirColumnAndASuggestion(_ source: String, _ error: TemplateError) {
        #expect(throws: error) { try Template(source, location: .url) }
    }

    @Test func percentSignsThatAreNotSecretsStayText() throws {
        #expect(try render("a%20b 50% off %", .multipartValue).text == "a%20b 50% off %")
    }

    @Test func errorsReadAsOneLine() {
        let e = TemplateError(location: .url, column: 13, problem: "unknown variable {{stauts}}", suggestion: "status")
        #expect(e.description == "url, column 13: unknown variable {{stauts}} (did you mean status?)")
    }
}
