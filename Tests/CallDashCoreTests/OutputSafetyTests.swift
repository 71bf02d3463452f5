import Testing

@testable import CallDashCore

@Suite("Text from a report never acts on the terminal or spreadsheet it is written to")
struct OutputSafetyTests {
    @Test(
        "JSON output escapes C1 controls, bidi and invisible characters, and reads back unchanged",
        arguments: [
            ("\u{9B}31m", #""\u009b31m""#),
            ("\u{9D}0;x\u{7}", #""\u009d0;x\u0007""#),
            ("91\u{202E}7654\u{202C}", #""91\u202e7654\u202c""#),
            ("a\u{2066}b\u{2069}", #""a\u2066b\u2069""#),
            ("zero\u{200B}width\u{FEFF}", #""zero\u200bwidth\ufeff""#),
            ("line\u{2028}sep", #""line\u2028sep""#),
            ("Zoë 😀 नमस्ते", #""Zoë 😀 नमस्ते""#)
        ])
    func jsonEscapes(value: String, expected: String) throws {
        var w = JSONWriter(capacity: 32)
        w.string(value)
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == expected)
        var record = sampleRecord()
        record.fields[.from] = value
        #expect(try DeliveryRecord(json: record.json()).fields[.from] == value)
    }

    @Test(
        "CSV quotes CR and LF (RFC 4180) and defuses formulas led by = + - @ tab or CR",
        arguments: [
            ("ANSWER\r\nX-Evil: 1", "\"ANSWER\r\nX-Evil: 1\""),
            ("a\nb", "\"a\nb\""),
            ("=1+1", "'=1+1"),
            ("\t=HYPERLINK(\"http://evil\")", "\"'\t=HYPERLINK(\"\"http://evil\"\")\""),
            ("\r=1+1", "\"'\r=1+1\""),
            ("-5", "-5"),
            ("OBD, \"retry\"", "\"OBD, \"\"retry\"\"\"")
        ])
    func csvCells(value: String, expected: String) {
        #expect(CSVExport.quoted(value) == expected)
    }

    @Test("the spreadsheet CSV writes phone numbers as text formulas, and leaves durations and times as they are")
    func spreadsheetCSVKeepsLongNumbersAsText() {
        #expect(CSVExport.readAsFloat("918065070948") && CSVExport.readAsFloat("+918065070948") && CSVExport.readAsFloat("0801"))
        #expect(!CSVExport.readAsFloat("3725") && !CSVExport.readAsFloat("0") && !CSVExport.readAsFloat("2026-11-27 15:29:00"))
        #expect(!CSVExport.readAsFloat("") && !CSVExport.readAsFloat("+") && !CSVExport.readAsFloat("١٢٣٤٥٦٧٨٩٠١٢"))
        var f = ReportFields()
        f[.to] = "918065070948"
        f[.duration] = "42"
        f[.status] = "ANSWER"
        let record = DeliveryRecord(
            receivedAt: Timestamp(millis: 0), method: "POST", path: "/", remote: "127.0.0.1:1", contentType: "application/json", fields: f,
            raw: [])
        let summary = ReportSummary(record, location: .inline([]))
        let sheet = CSVExport.row(summary, forSpreadsheets: true)
        #expect(sheet.contains(",\"=\"\"918065070948\"\"\","), "\(sheet)")
        #expect(sheet.contains(",42,") && sheet.contains(",ANSWER,"))
        #expect(CSVExport.row(summary).contains(",918065070948,"))
    }

    @Test(
        "a JSON string reads back unchanged whatever byte of an eight-byte word a character needing escape falls on, and across the writer's chunks"
    )
    func escapesAtEveryOffset() throws {
        let specials = [
            "\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "é", "\u{85}", "\u{2028}", "\u{202E}", "\u{FEFF}", "\u{1F600}", "\u{61C}"
        ]
        var texts: [String] = []
        for special in specials {
            for offset in 0..<17 { texts.append(String(repeating: "a", count: offset) + special + String(repeating: "b", count: 9)) }
            // The writer reserves room 4096 input bytes at a time: a sequence may straddle that.
            for offset in 4090..<4098 { texts.append(String(repeating: "x", count: offset) + special + special + "y") }
        }
        // Every byte escaped to six: the most room a chunk can need.
        texts.append(String(repeating: "\u{1}", count: 5000))
        for text in texts {
            var w = JSONWriter(capacity: 16)
            w.string(text)
            let written = w.bytes
            #expect(!written.contains { $0 < 0x20 }, "no raw control byte")
            #expect(
                !String(decoding: written, as: UTF8.self).unicodeScalars.contains {
                    [0x85, 0x2028, 0x202E, 0xFEFF, 0x61C].contains($0.value)
                })
            let back = try written.withUnsafeBufferPointer { p in
                var s = JSONScanner(p)
                return try s.readString()
            }
            #expect(back == text)
        }
    }
}
