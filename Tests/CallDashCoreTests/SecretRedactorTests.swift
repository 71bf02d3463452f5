import Foundation
import Testing

@testable import CallDashCore

@Suite("Secrets never reach the journal in any form this program writes them in")
struct SecretRedactorTests {
    static let apiKey = "Zm9v+YmFy/c2Vj=="

    @Test(
        "a secret is masked as typed, percent-encoded, form-encoded, JSON-escaped and base64 (padded, unpadded, URL-safe)",
        arguments: [
            "/form/Zm9v%2BYmFy%2Fc2Vj%3D%3D/x",
            "sig=Zm9v%2bYmFy%2fc2Vj%3d%3d&call=1",
            "secret=Zm9v%2BYmFy%2Fc2Vj%3D%3D",
            #"{"secret":"Zm9v+YmFy\/c2Vj=="}"#,
            "Zm9v+YmFy/c2Vj==",
            "X-Key: Wm05ditZbUZ5L2MyVmo9PQ==",
            "X-Key: Wm05ditZbUZ5L2MyVmo9PQ",
            "token=Wm05ditZbUZ5L2MyVmo9PQ&x=1"
        ])
    func everyEncoding(text: String) {
        let r = SecretRedactor(secrets: [Self.apiKey])
        let out = r.redact(text)
        #expect(out.contains(SecretRedactor.mask), "\(text) -> \(out)")
        for form in SecretRedactor.encodings(of: Self.apiKey) {
            #expect(!out.utf8.elementsEqual(form) && !out.contains(String(decoding: form, as: UTF8.self)))
        }
    }

    @Test(
        "a secret spelled with escapes no encoder needs (JSON \\u, percent-encoded letters, in a path, a form or a JSON body) is masked where its escapes stand",
        arguments: [
            (#"{"k":"\u005Am9v+YmFy/c2Vj==","n":1}"#, #"{"k":"***","n":1}"#),
            (#"{"k":"Zm9v\u002bYmFy\/c2Vj\u003D\u003d"}"#, #"{"k":"***"}"#),
            ("secret=%5Am9v%2BYmFy%2Fc2Vj%3D%3D&n=1", "secret=***&n=1"),
            ("/form/%5a%6d9v+YmFy/c2Vj==/x", "/form/***/x"),
            (#"{"u":"https://x/?t=%5Am9v%2bYmFy%2fc2Vj%3d%3d"}"#, #"{"u":"https://x/?t=***"}"#)
        ])
    func spelledWithEscapes(text: String, expected: String) {
        #expect(SecretRedactor(secrets: [Self.apiKey]).redact(text) == expected)
    }

    @Test("a secret spelled with JSON escapes and another spelled with percent escapes in one body are both masked")
    func bothEscapesInOneBody() {
        // Found by fuzzing: the second decoding must read the text the first one masked.
        let text = #"{"k":"\u0073\u0033cret-k3y","p3cret-k3y","p":"%73%33cret-k3y","x":"\ud83d"}"#
        #expect(SecretRedactor(secrets: ["s3cret-k3y"]).redact(text) == #"{"k":"***","p3cret-k3y","p":"***","x":"\ud83d"}"#)
    }

    @Test("a secret outside the basic plane, JSON-escaped as a surrogate pair, is masked")
    func surrogatePair() {
        let r = SecretRedactor(secrets: ["key-\u{1F600}-s3cret"])
        #expect(r.redact(#"{"k":"key-\ud83d\ude00-s3cret"}"#) == #"{"k":"***"}"#)
    }

    @Test(
        "a secret inside a longer base64 text (a multipart part, a Basic credential) is masked wherever it starts in a group of three",
        arguments: ["", "a", "ab", "abc"])
    func insideLongerBase64(lead: String) {
        let encoded = Data((lead + "user:\(Self.apiKey) and more").utf8).base64EncodedString()
        let out = SecretRedactor(secrets: [Self.apiKey]).redact("Content-Transfer-Encoding: base64\r\n\r\n\(encoded)\r\n")
        #expect(out.contains(SecretRedactor.mask), "\(encoded) -> \(out)")
        // What is left of the encoded text no longer decodes to anything holding the secret.
        let left = out.split(separator: "\n").map { String($0) }
        #expect(
            !left.contains {
                Data(base64Encoded: $0.trimmingCharacters(in: .whitespacesAndNewlines)).map {
                    String(decoding: $0, as: UTF8.self).contains(Self.apiKey)
                } ?? false
            })
        #expect(out.hasPrefix("Content-Transfer-Encoding: base64"))
    }

    @Test("base64 of other text is left as it is")
    func otherBase64Kept() {
        let encoded = Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).base64EncodedString()
        #expect(SecretRedactor(secrets: [Self.apiKey]).redact(encoded) == encoded)
    }

    @Test("a secret sent as a name (a query key, a header name, a JSON key) is masked as the name")
    func secretAsName() {
        var r = sampleRecord(raw: #"{"Zm9v+YmFy/c2Vj==":"v"}"#)
        r.query = [NameValue("Zm9v+YmFy/c2Vj==", "1")]
        r.headers = [NameValue("Zm9v+YmFy/c2Vj==", "x")]
        r.extra = [NameValue("Zm9v+YmFy/c2Vj==", "v")]
        SecretRedactor(secrets: [Self.apiKey]).redact(&r)
        #expect(r.query == [NameValue(SecretRedactor.mask, "1")] && r.headers == [NameValue(SecretRedactor.mask, "x")])
        #expect(r.extra == [NameValue(SecretRedactor.mask, "v")] && !String(decoding: r.raw, as: UTF8.self).contains("Zm9v"))
    }

    @Test(
        "a short secret is masked where it stands alone, and kept inside a longer number",
        arguments: [
            ("pin=4711&x=1", "pin=***&x=1"),
            (#"{"pin":"4711"}"#, #"{"pin":"***"}"#),
            ("/pin/4711", "/pin/***"),
            ("4711", "***"),
            ("919804711000", "919804711000"),
            ("pin=%204711", "pin=%20***"),
            ("a%2F4711&", "a%2F***&"),
            (#""\n4711""#, #""\n***""#),
            ("pin=47110", "pin=47110")
        ])
    func shortSecrets(text: String, expected: String) {
        #expect(SecretRedactor(secrets: ["4711"]).redact(text) == expected)
    }

    @Test("every part of a delivery record is masked, and an Authorization header always")
    func wholeRecord() {
        var record = sampleRecord(raw: "status=BUSY&secret=Zm9v%2BYmFy%2Fc2Vj%3D%3D&pin=4711")
        record.path = "/form/Zm9v%2BYmFy%2Fc2Vj%3D%3D/x"
        record.query = [NameValue("sig", Self.apiKey), NameValue("pin", "4711")]
        record.headers = [NameValue("Authorization", "Bearer something-else"), NameValue("X-Api-Key", Self.apiKey)]
        record.extra = [NameValue("secret", Self.apiKey), NameValue("pin", "4711")]
        SecretRedactor(secrets: [Self.apiKey, "4711"]).redact(&record)
        let line = String(decoding: record.json(), as: UTF8.self)
        #expect(!line.contains("Zm9v") && !line.contains("4711"), "\(line)")
        #expect(record.headers[0].value == "Bearer ***")
        #expect(record.fields[.bridge] == "918068280000")
    }
}

@Suite("A forward attempt's reply is kept masked")
struct ForwardReplyMaskingTests {
    @Test("a secret in the app's reply is masked before the reply is cut, so no part of it is kept")
    func maskedBeforeCut() throws {
        let recorder = Recorder(
            store: ReportStore(capacity: 4), journal: nil, lastSeq: 0, redactor: SecretRedactor(secrets: ["s3cret-k3y"]))
        let reply = String(repeating: "A", count: ForwardAttempt.replyKept - 9) + "s3cret-k3y and more"
        recorder.recordForward(
            ForwardAttempt(
                seq: 1, at: .now(), url: "http://app/", attempt: 1, status: 200, ms: 1, error: nil, delivered: true, reply: reply),
            final: true)
        let kept = try #require(recorder.forwards.last(of: 1)).reply
        #expect(!kept.contains("s3cret") && kept.count <= ForwardAttempt.replyKept)
        #expect(kept.contains("AAA***"), "\(kept.suffix(20))")
    }
}
