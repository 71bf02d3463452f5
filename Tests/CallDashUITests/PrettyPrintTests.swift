import CallDashCore
import Testing

@testable import CallDashUI

@Suite("The body's pretty-printer costs work in proportion to the body, whatever it holds")
struct PrettyPrintTests {
    @Test("a 1 MB body of arrays nested 511 deep prints in bounded lines, deep lines saying their depth")
    func deepNesting() {
        let one = String(repeating: "[", count: 511) + "1" + String(repeating: "]", count: 511)
        var body = "{"
        var k = 0
        while body.utf8.count < 1_000_000 {
            body += (k > 0 ? "," : "") + "\"a\(k)\":" + one
            k += 1
        }
        body += "}"
        let lines = JSONPretty.lines(Array(body.utf8))
        #expect(lines.count == JSONPretty.maxLines + 1)
        let characters = lines.reduce(0) { $0 + $1.text.utf8.count }
        #expect(characters < 100 * body.utf8.count / 2, "\(characters) characters for \(body.utf8.count) bytes")
        #expect(lines.contains { $0.text.contains("⋯511 ") })
        #expect(lines.last?.text.contains("more bytes not shown here: r shows the raw body") == true)
    }

    @Test("ordinary bodies are printed whole, indented by their depth")
    func ordinaryBody() {
        let lines = JSONPretty.lines(Array(#"{"a":[1,{"b":"x"}]}"#.utf8)).map(\.text)
        #expect(lines == ["{", "  \"a\": [", "    1,", "    {", "      \"b\": \"x\"", "    }", "  ]", "}"])
    }
}

@Suite("The detail says what is odd about a body")
struct BodyNotesTests {
    @Test("a JSON body with a repeated key is accepted, and the detail names the key")
    func repeatedKeysNamed() {
        let record = DeliveryRecord(
            receivedAt: .now(), method: "POST", path: "/ack", contentType: "application/json",
            fields: ReportFields([.status: "ANSWER"]), raw: Array(#"{"status":"BUSY","status":"ANSWER"}"#.utf8))
        let text = DetailContent.lines(for: record, check: nil, checking: false, raw: false, utcOffset: 0).map(\.text)
        #expect(text.contains("  ⚠ repeated keys: \"status\" (the last value of each counts)"))
    }
}
