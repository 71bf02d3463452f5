import Testing

@testable import CallDashCore

/// Parses `text` as a report object, returning its members or the error.
private func parse(_ text: String) -> Result<[JSONFlatMember], JSONError> {
    Result { () throws(JSONError) in try JSONFlatObject.parse(Array(text.utf8)) }
}

@Suite("Strict JSON keeps what was sent")
struct JSONScannerTests {
    @Test("a key or value read eight bytes at a time stops at the escape, quote or control byte wherever in the word it falls")
    func specialBytesAtEveryOffset() throws {
        for offset in 0..<18 {
            let pad = String(repeating: "k", count: offset)
            // An escaped key, a value with an escape, and a raw control byte (refused) at each offset.
            #expect(
                try parse(#"{"\#(pad)\u0041\#(pad)":"\#(pad)\"\#(pad)","\#(pad)":[{"\#(pad)\n":"x"}]}"#).get() == [
                    JSONFlatMember(key: pad + "A" + pad, kind: .string, text: pad + "\"" + pad),
                    JSONFlatMember(key: pad, kind: .array, text: #"[{"\#(pad)\n":"x"}]"#)
                ])
            #expect(try parse(#"{"\#(pad)\"\#(pad)":1}"#).get() == [JSONFlatMember(key: pad + "\"" + pad, kind: .number, text: "1")])
            #expect(throws: JSONError.self) { try parse("{\"\(pad)\u{1}\":1}").get() }
            #expect(throws: JSONError.self) { try parse("{\"a\":\"\(pad)\u{1F}\"}").get() }
            #expect(throws: JSONError.self) { try parse("{\"a\":\"\(pad)").get() }
        }
    }

    @Test(
        "numbers keep their exact text: no Double, no .0, no exponent, no lost digits",
        arguments: [
            ("{\"from\": 9198765432101234567}", "9198765432101234567"),
            ("{\"from\": 918068280000}", "918068280000"),
            ("{\"from\": 23.0}", "23.0"),
            ("{\"from\": -0.5e+10}", "-0.5e+10"),
            ("{\"from\": 123456789012345678901234567890}", "123456789012345678901234567890"),
            ("{\"from\": \"0123\"}", "0123"),
            ("{\"from\": 0}", "0"),
            ("{\"from\": 1E400}", "1E400")
        ])
    func numbersKeepExactText(input: String, expected: String) throws {
        let members = try parse(input).get()
        #expect(members == [JSONFlatMember(key: "from", kind: input.contains("\"0123\"") ? .string : .number, text: expected)])
    }

    @Test("strings are unescaped, including surrogate pairs and non-ASCII")
    func stringsUnescape() throws {
        let members = try parse(#"{"a":"line\nbreak \"q\" \\ \/ \t","b":"\u00e9\ud83d\ude00","c":"हिन्दी"}"#).get()
        #expect(members.map(\.text) == ["line\nbreak \"q\" \\ / \t", "é😀", "हिन्दी"])
    }

    @Test("nested values are kept as their exact JSON text; literals as their lexeme")
    func nestedKeptAsText() throws {
        let members = try parse(#"{"x": {"a":[1, 2.50 ,{"b":null}]}, "t": true, "n": null}"#).get()
        #expect(members[0] == JSONFlatMember(key: "x", kind: .object, text: #"{"a":[1, 2.50 ,{"b":null}]}"#))
        #expect(members[1].text == "true")
        #expect(members[2] == JSONFlatMember(key: "n", kind: .null, text: "null"))
    }

    @Test(
        "malformed input is refused with a reason and the byte where it went wrong",
        arguments: [
            ("{\"a\":1,}", "trailing comma before '}'", 7),
            ("{\"a\":[1,2,]}", "trailing comma before ']'", 10),
            ("{\"a\":01}", "leading zero", 5),
            ("{\"a\":+1}", "expected a JSON value", 5),
            ("{\"a\":1.}", "expected a digit after '.'", 7),
            ("{\"a\":1e}", "expected a digit in number exponent", 7),
            ("{\"a\":-}", "expected a digit in number", 6),
            ("{\"a\":.5}", "expected a JSON value", 5),
            ("{\"a\":\"\\x\"}", "invalid escape '\\x'", 6),
            ("{\"a\":\"\\u12G4\"}", "not a hex digit", 6),
            ("{\"a\":\"\\ud800\"}", "lone high surrogate", 6),
            ("{\"a\":\"\\udc00\"}", "lone low surrogate", 6),
            ("{\"a\":\"\\ud800\\u0041\"}", "not followed by a low surrogate", 6),
            ("{\"a\":\"tab\there\"}", "control character U+0009", 9),
            ("{\"a\":tru}", "invalid literal", 5),
            ("{\"a\":NaN}", "expected a JSON value", 5),
            ("{\"a\" 1}", "expected ':'", 5),
            ("{a:1}", "expected a string key", 1),
            ("{\"a\":1 \"b\":2}", "expected ',' or '}'", 7),
            ("{\"a\":1}x", "unexpected data after the JSON value", 7),
            ("{\"a\":1}{}", "unexpected data after the JSON value", 7),
            ("[1,2]", "expected a JSON object, found an array", 0),
            ("\"text\"", "expected a JSON object, found a string", 0),
            ("", "found end of input", 0),
            ("   ", "found end of input", 3),
            ("{\"a\":\"unterminated", "unterminated string", 5)
        ])
    func malformedInputIsPositioned(input: String, reason: String, offset: Int) {
        switch parse(input) {
        case .success(let m): Issue.record("accepted \(input) as \(m)")
        case .failure(let e):
            #expect(e.reason.contains(reason), "\(e)")
            #expect(e.offset == offset, "\(e)")
        }
    }

    @Test("every truncation of a valid report is an error, never a crash or a partial success")
    func everyTruncationFails() {
        let full = #"{"bridge": 918068280000, "mid": "1234-\u00e9", "x": [1, {"y": -2.5e3}], "ok": true}"#
        let bytes = Array(full.utf8)
        #expect((try? JSONFlatObject.parse(bytes)) != nil)
        for n in 0..<bytes.count {
            #expect((try? JSONFlatObject.parse(Array(bytes[0..<n]))) == nil, "prefix of \(n) bytes was accepted")
        }
    }

    @Test("deep nesting is refused with a clear error instead of overflowing the stack")
    func deepNestingRefused() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        guard case .failure(let e) = parse(deep) else {
            Issue.record("accepted")
            return
        }
        #expect(e.reason.contains("nesting deeper than 512"))
        let ok = "{\"a\":" + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}"
        #expect((try? parse(ok).get()) != nil)
    }

    @Test("insignificant whitespace of all four kinds is allowed; other spaces are not")
    func whitespace() {
        #expect((try? parse(" \t\r\n{ \"a\" :\n1 }\n").get())?.first?.text == "1")
        #expect((try? parse("\u{00A0}{\"a\":1}").get()) == nil)
    }
}

@Suite("UTF-8 validation points at the bad byte")
struct UTF8ValidationTests {
    @Test(
        "invalid sequences are found at their offset",
        arguments: [
            ([0x41, 0x80], 1), // lone continuation byte
            ([0x41, 0xC0, 0x80], 1), // overlong two-byte NUL
            ([0xE0, 0x80, 0x80], 0), // overlong three-byte
            ([0xED, 0xA0, 0x80], 0), // UTF-16 surrogate
            ([0xF4, 0x90, 0x80, 0x80], 0), // above U+10FFFF
            ([0xF5, 0x80, 0x80, 0x80], 0), // never valid lead byte
            ([0x41, 0x42, 0xE2, 0x82], 2), // truncated at the end
            ([0xE2, 0x28, 0xA1], 0) // bad continuation
        ] as [([UInt8], Int)])
    func invalid(bytes: [UInt8], offset: Int) {
        #expect(UTF8Validation.firstInvalidOffset(bytes) == offset)
    }

    @Test("valid text of every length class passes, including long ASCII runs")
    func valid() {
        let text = String(repeating: "ascii ", count: 50) + "é € 😀 हिन्दी"
        #expect(UTF8Validation.firstInvalidOffset(Array(text.utf8)) == nil)
        #expect(UTF8Validation.firstInvalidOffset(Array(String(repeating: "a", count: 4099).utf8) + [0xFF]) == 4099)
    }
}
