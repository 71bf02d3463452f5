import Testing

@testable import CallDashCore

private let json = "application/json"

private func parse(query: [NameValue] = [], _ contentType: String?, _ body: String, limits: DeliveryLimits = DeliveryLimits()) -> Result<
    ParsedDelivery, Rejection
> {
    Result { () throws(Rejection) in
        try DeliveryParser(limits: limits).parse(query: query, contentType: contentType, body: Array(body.utf8))
    }
}

@Suite("A delivery's body and query become report fields")
struct DeliveryParserTests {
    @Test("the seed's report: unquoted numbers and string durations keep their exact text")
    func seedReport() throws {
        let body =
            #"{"bridge": 918068280000, "from": 918919520000, "to": "0918867130000", "source": "OBD", "mid": "1234-1333-XXXXX", "flow_id": 123, "start_at": "2021-04-09 16:27:39", "end_at": "2021-04-09 16:27:55", "duration": "23", "status": "ANSWER", "recording_url": "https://youraudiofilelocation/", "campaign": {"id": 7}}"#
        let p = try parse(json, body).get()
        #expect(p.fields[.bridge] == "918068280000")
        #expect(p.fields[.to] == "0918867130000")
        #expect(p.fields[.flowID] == "123")
        #expect(p.fields[.duration] == "23")
        #expect(p.fields[.status] == "ANSWER")
        #expect(p.fields[.webhookID] == nil)
        #expect(p.extra == [NameValue("campaign", #"{"id": 7}"#)])
    }

    @Test("query parameters count as fields; on a clash the body wins")
    func bodyWinsOverQuery() throws {
        let p = try parse(query: [NameValue("status", "BUSY"), NameValue("id", "9")], json, #"{"status":"ANSWER"}"#).get()
        #expect(p.fields[.status] == "ANSWER")
        #expect(p.extra == [NameValue("id", "9")])
    }

    @Test("a GET with only a query string is a delivery")
    func queryOnly() throws {
        let p = try parse(query: [NameValue("status", "NOANSWER"), NameValue("to", "919876543210")], nil, "").get()
        #expect(p.fields[.status] == "NOANSWER")
        #expect(p.fields[.to] == "919876543210")
    }

    @Test("form bodies decode + and %XX; a repeated key keeps its last value")
    func formBody() throws {
        let p = try parse(
            "application/x-www-form-urlencoded; charset=utf-8", "to=%2B919876543210&note=hello+world&status=BUSY&status=ANSWER&flag"
        ).get()
        #expect(p.fields[.to] == "+919876543210")
        #expect(p.fields[.status] == "ANSWER")
        #expect(p.extra == [NameValue("note", "hello world"), NameValue("flag", "")])
    }

    @Test("a JSON key that appears twice is valid JSON: the delivery is accepted and the last value wins")
    func repeatedJSONKey() throws {
        let parsed = try parse("application/json", #"{"status":"BUSY","mid":"m1","status":"ANSWER","x":1,"x":2}"#).get()
        #expect(parsed.fields[.status] == "ANSWER" && parsed.fields[.mid] == "m1")
        #expect(parsed.extra == [NameValue("x", "2")])
    }

    @Test("without a content type, a body starting with { is JSON and anything else a form")
    func sniffing() throws {
        #expect(try parse(nil, "  {\"status\":\"BUSY\"}").get().fields[.status] == "BUSY")
        #expect(try parse(nil, "status=CANCEL").get().fields[.status] == "CANCEL")
        #expect(try parse("", "status=CANCEL").get().fields[.status] == "CANCEL")
    }

    @Test("JSON with a +json media type and parameters is read as JSON")
    func jsonVariants() throws {
        #expect(try parse("application/vnd.provider+json; charset=UTF-8", #"{"mid":"x"}"#).get().fields[.mid] == "x")
    }

    @Test(
        "bad input is rejected with its HTTP status and a clear reason",
        arguments: [
            (json, "{\"status\":\"ANSWER\",}", 400, "malformed JSON: trailing comma before '}' at byte 19"),
            (json, "[{\"status\":\"ANSWER\"}]", 400, "malformed JSON: expected a JSON object, found an array at byte 0"),
            ("text/plain", "status=ANSWER", 415, "unsupported content type text/plain"),
            ("application/xml", "<a/>", 415, "unsupported content type application/xml"),
            (json, "{}", 400, "no fields"),
            (nil, "", 400, "no fields"),
            ("application/x-www-form-urlencoded", "to=%2", 400, "form body: malformed percent-escape at byte 3"),
            ("application/x-www-form-urlencoded", "to=%FF", 400, "invalid UTF-8 after percent-decoding"),
            ("multipart/form-data", "--x--", 400, "without a boundary")
        ] as [(String?, String, Int, String)])
    func rejections(contentType: String?, body: String, status: Int, reason: String) {
        guard case .failure(let r) = parse(contentType, body) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(r.status == status)
        #expect(r.reason.contains(reason), "\(r.reason)")
    }

    @Test("invalid UTF-8 in a JSON body is rejected with its byte offset")
    func invalidUTF8() {
        let body: [UInt8] = Array("{\"status\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        let r = Result { () throws(Rejection) in try DeliveryParser().parse(query: [], contentType: json, body: body) }
        guard case .failure(let e) = r else {
            Issue.record("accepted")
            return
        }
        #expect(e == Rejection(400, "invalid UTF-8 at byte 11"))
    }

    @Test("an oversize body is a 413 and more than the field limit a 400")
    func limits() {
        let small = DeliveryLimits(maxBodyBytes: 10, maxFields: 3)
        guard case .failure(let big) = parse(json, "{\"status\":\"ANSWER\"}", limits: small) else {
            Issue.record("accepted")
            return
        }
        #expect(big.status == 413)
        let many = DeliveryLimits(maxBodyBytes: 1000, maxFields: 3)
        guard case .failure(let fields) = parse(json, #"{"a":1,"b":2,"c":3,"d":4}"#, limits: many) else {
            Issue.record("accepted")
            return
        }
        #expect(fields == Rejection(400, "too many fields: 4 (the limit is 3)"))
        #expect((try? parse(json, #"{"a":1,"b":2,"c":3}"#, limits: many).get()) != nil)
    }

    @Test("query strings decode strictly too")
    func queryDecoding() throws {
        #expect(
            try FormURLEncoding.decode("a=1&&b=%20x+y&c", what: "q") == [NameValue("a", "1"), NameValue("b", " x y"), NameValue("c", "")])
        #expect(throws: Rejection.self) { try FormURLEncoding.decode("a=%zz", what: "q") }
    }

    @Test(
        "a JSON report read field by field gives what merging its members gives: repeated keys keep their first place and last value",
        arguments: [
            #"{"status":"BUSY","mid":"m-1","status":"ANSWER"}"#,
            #"{"a":1,"b":[1,{"c":2}],"a":"x","\u0073tatus":"NOANSWER","st\"x":true}"#,
            #"{"to":null,"from":false,"duration":-1.5e3,"é ✓":"\u00e9\n","flow_id":{"x":[]}}"#,
            // Past the 32 extras where the search turns to an index, with repeats on both sides of it.
            "{" + (0..<80).map { #""k\#($0 % 50)":\#($0)"# }.joined(separator: ",") + #","mid":"m","k3":"last"}"#,
            // Repeats just before the index (31 extras), as it is made (32), and of keys added after it.
            "{"
                + ((0..<31).map { "k\($0)" } + ["k0", "k31", "k5", "k31"] + (32..<40).map { "k\($0)" } + ["k33", "k39", "k32", "mid"])
                .enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",") + "}",
            #"{}"#, #"[1]"#, #"{"a":1,}"#, #"{"a" 1}"#, #"  {"status":"ANSWER"}  "#
        ])
    func fieldByFieldIsTheMerge(_ body: String) {
        var merging = DeliveryParser()
        merging.readsJSONByField = false
        for limits in [DeliveryLimits(), DeliveryLimits(maxFields: 40)] {
            let direct = parse(json, body, limits: limits)
            merging.limits = limits
            let merged = Result { () throws(Rejection) in try merging.parse(query: [], contentType: json, body: Array(body.utf8)) }
            #expect(direct == merged, "\(body)")
        }
    }

    @Test("a query starts at the first ? byte, even where a combining mark after it or a prepended character before it joins it to another")
    func queryStartsAtTheFirstQuestionMark() {
        for (target, before, query) in [
            ("/ack?status=BUSY&a=?", "/ack", "status=BUSY&a=?"), ("/a?\u{301}x", "/a", "\u{301}x"), ("/\u{600}?q", "/\u{600}", "q"),
            ("/ack", "/ack", nil), ("?", "", "")
        ] {
            let split = target.splitAtQuery()
            #expect(split.beforeQuery == before && split.query.map(String.init) == query, "\(target)")
        }
    }
}
