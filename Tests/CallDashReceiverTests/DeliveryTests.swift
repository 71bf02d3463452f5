import CallDashCore
import Foundation
import NIOHTTP1
import Testing

@testable import CallDashReceiver

@Suite("The receiver takes every report in and loses none")
struct DeliveryTests {
    @Test("the seed's report is accepted with its seq, stored with exact numbers, and journaled before the reply")
    func acceptsSeedReport() async throws {
        try await TestReceiver.run { r async throws in
            let reply = try await postJSON(r.base + "/ack/receive", seedReport)
            #expect(reply.status == 200)
            #expect(reply.body == #"{"ok":true,"seq":1}"#)
            #expect(reply.headers.first(name: "content-type") == "application/json")
            let record = try r.last()
            #expect(record.outcome == .accepted)
            #expect(record.fields[.bridge] == "918068280000")
            #expect(record.fields[.flowID] == "123")
            #expect(record.path == "/ack/receive")
            #expect(record.raw == Array(seedReport.utf8))
            #expect(record.remote.hasPrefix("127.0.0.1:"))
            #expect(record.headers.contains(NameValue("Content-Type", "application/json")))
            let journal = try String(contentsOfFile: r.journalPath, encoding: .utf8)
            #expect(journal.hasPrefix("{\"seq\":1,"))
        }
    }

    @Test("seq counts up per delivery, accepted or rejected")
    func seqCountsUp() async throws {
        try await TestReceiver.run { r async throws in
            #expect(try await postJSON(r.base + "/a", seedReport).json["seq"] == "1")
            #expect(try await postJSON(r.base + "/a", "{oops").json["seq"] == "2")
            #expect(try await postJSON(r.base + "/a", seedReport).json["seq"] == "3")
        }
    }

    @Test("--respond decides the status of accepted deliveries")
    func respondCode() async throws {
        try await TestReceiver.run(respond: 202) { r async throws in
            #expect(try await postJSON(r.base + "/x", seedReport).status == 202)
        }
    }

    @Test("query parameters count as fields, the body wins a clash, and the record keeps the query as sent")
    func queryAndBody() async throws {
        try await TestReceiver.run { r async throws in
            let reply = try await postJSON(r.base + "/ack?status=BUSY&id=9&to=%2B91%2098", #"{"status":"ANSWER"}"#)
            #expect(reply.status == 200)
            let record = try r.last()
            #expect(record.fields[.status] == "ANSWER")
            #expect(record.fields[.to] == "+91 98")
            #expect(record.extra == [NameValue("id", "9")])
            #expect(record.query == [NameValue("status", "BUSY"), NameValue("id", "9"), NameValue("to", "+91 98")])
        }
    }

    @Test("a GET compose webhook that carries everything in its URL is a delivery")
    func getDelivery() async throws {
        try await TestReceiver.run { r async throws in
            let reply = try await request(.GET, r.base + "/hook?status=NOANSWER&mid=77&to=919876543210")
            #expect(reply.status == 200)
            let record = try r.last()
            #expect(record.method == "GET" && record.fields[.status] == "NOANSWER" && record.fields[.mid] == "77")
        }
    }

    @Test("form and multipart bodies are read as fields")
    func formAndMultipart() async throws {
        try await TestReceiver.run { r async throws in
            let form = try await request(
                .PUT, r.base + "/f", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("status=BUSY&note=a+b%26c".utf8))
            #expect(form.status == 200)
            #expect(try r.last().fields[.status] == "BUSY")
            #expect(try r.last().extra == [NameValue("note", "a b&c")])
            let boundary = "XyZ123"
            let multipart =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nCANCEL\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n919812345678\r\n--\(boundary)--\r\n"
            let reply = try await request(
                .PATCH, r.base + "/m", headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: Array(multipart.utf8)
            )
            #expect(reply.status == 200, "\(reply.body)")
            #expect(try r.last().fields[.status] == "CANCEL")
            #expect(try r.last().fields[.to] == "919812345678")
            let truncated = try await request(
                .POST, r.base + "/m", headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                body: Array(multipart.prefix(60).utf8))
            #expect(truncated.status == 400)
            #expect(truncated.json["error"]?.contains("closing boundary") == true)
        }
    }

    struct BadInput: Sendable, CustomStringConvertible {
        var name: String
        var method: HTTPMethod = .POST
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: [UInt8]
        var status: Int
        var reason: String
        var description: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(
            name: "trailing comma", body: Array(#"{"status":"ANSWER",}"#.utf8), status: 400,
            reason: "malformed JSON: trailing comma before '}' at byte 19"),
        BadInput(name: "truncated JSON", body: Array(#"{"status":"ANS"#.utf8), status: 400, reason: "unterminated string"),
        BadInput(name: "array instead of object", body: Array("[1]".utf8), status: 400, reason: "expected a JSON object, found an array"),
        BadInput(
            name: "unknown content type", headers: [("Content-Type", "text/csv")], body: Array("a,b".utf8), status: 415,
            reason: "unsupported content type text/csv"),
        BadInput(
            name: "invalid UTF-8", body: Array("{\"to\":\"".utf8) + [0xFF, 0xFE] + Array("\"}".utf8), status: 400,
            reason: "invalid UTF-8 at byte 7"),
        BadInput(name: "no fields", body: Array("{}".utf8), status: 400, reason: "no fields"),
        BadInput(
            name: "too many fields", body: Array(("{" + (0..<5).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}").utf8), status: 400,
            reason: "too many fields: 5 (the limit is 4)"),
        BadInput(
            name: "oversize body", body: Array(repeating: UInt8(ascii: "a"), count: 3000), status: 413,
            reason: "exceeds the 2048-byte limit"),
        BadInput(
            name: "method that is not a delivery", method: .DELETE, body: Array(seedReport.utf8), status: 405,
            reason: "method DELETE is not a delivery")
    ]

    @Test("bad input gets its 4xx with a JSON reason and is recorded as rejected with its raw bytes", arguments: badInputs)
    func badInputRejectedAndRecorded(bad: BadInput) async throws {
        try await TestReceiver.run(limits: DeliveryLimits(maxBodyBytes: 2048, maxFields: 4)) { r async throws in
            let reply = try await request(bad.method, r.base + "/ack", headers: bad.headers, body: bad.body)
            #expect(reply.status == bad.status, "\(reply.body)")
            #expect(reply.json["ok"] == "false")
            #expect(reply.json["error"]?.contains(bad.reason) == true, "\(reply.body)")
            let record = try r.last()
            #expect(record.outcome == .rejected)
            #expect(record.responseCode == bad.status)
            #expect(record.error?.contains(bad.reason) == true)
            if bad.status != 413 { #expect(record.raw == bad.body) }
            #expect(r.recorder.store.counts.rejected == 1)
        }
    }

    @Test("without the bearer token a delivery is refused with 401 and recorded, the token never stored")
    func tokenRequired() async throws {
        try await TestReceiver.run(token: "s3cret") { r async throws in
            let missing = try await postJSON(r.base + "/ack", seedReport)
            #expect(missing.status == 401)
            #expect(missing.headers.first(name: "www-authenticate") == "Bearer")
            #expect(missing.json["error"]?.contains("missing bearer token") == true)
            let wrong = try await postJSON(r.base + "/ack", seedReport, headers: [("Authorization", "Bearer nope")])
            #expect(wrong.json["error"] == "wrong bearer token (\(seedReport.utf8.count)-byte body not kept)")
            #expect(try r.last().raw.isEmpty, "an unauthenticated body is not journaled")
            let right = try await postJSON(r.base + "/ack?t=s3cret", seedReport, headers: [("Authorization", "Bearer s3cret")])
            #expect(right.status == 200)
            #expect(try r.last().headers.contains(NameValue("Authorization", "Bearer ***")))
            #expect(try !String(contentsOfFile: r.journalPath, encoding: .utf8).contains("s3cret"))
            #expect(r.recorder.store.counts.rejected == 2)
        }
    }

    @Test(
        "a token spelled with escapes (percent-encoded letters in the path, JSON \\u in the body, a form body, base64 in a multipart part) never reaches the journal"
    )
    func tokenInEscapes() async throws {
        let token = "s3cret-k3y"
        try await TestReceiver.run(token: token) { r async throws in
            let auth = [("Authorization", "Bearer \(token)")]
            let jsonBody = seedReport.replacingOccurrences(of: "OBD", with: #"\u0073\u0033cret-k3y"#)
            #expect(try await postJSON(r.base + "/ack/%73%33cret-k3y", jsonBody, headers: auth).status == 200)
            let form = "status=BUSY&mid=m-1&note=%73%33cret%2Dk3y"
            let formReply = try await request(
                .POST, r.base + "/ack", headers: auth + [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
            #expect(formReply.status == 200)
            let part = Data("key=\(token)".utf8).base64EncodedString()
            let multipart =
                "--b\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nBUSY\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\(part)\r\n--b--\r\n"
            let multipartReply = try await request(
                .POST, r.base + "/ack", headers: auth + [("Content-Type", "multipart/form-data; boundary=b")], body: Array(multipart.utf8))
            #expect(multipartReply.status == 200)
            let journal = try String(contentsOfFile: r.journalPath, encoding: .utf8)
            for spelled in [token, "%73%33cret", #"\\u0073\\u0033cret"#, String(part.dropLast(4))] {
                #expect(!journal.contains(spelled), "\(spelled) in the journal")
            }
            #expect(journal.split(separator: "\n").allSatisfy { $0.contains("***") })
        }
    }

    @Test("with fsync on, replies still arrive and every acknowledged line is in the journal")
    func durableMode() async throws {
        try await TestReceiver.run(fsync: true) { r async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await postJSON(r.base + "/d", seedReport).status } }
                for try await status in group { #expect(status == 200) }
            }
            #expect(lines(r.journalPath) == 40)
        }
    }
}

func lines(_ path: String) -> Int {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
}
