import CallDashCore
import Testing

@testable import CallDashUI

@Suite("Drawing untrusted text")
struct SafeDrawingTests {
    @Test func escapeSequencesInAFieldAreDrawnAsVisibleSymbolsNeverAsEscapes() {
        var rec = report(1)
        rec.fields[.from] = "\u{1B}[2J\u{1B}]52;c;aGk=\u{07}evil"
        rec.fields[.mid] = "a\u{9B}31mb\u{202E}c\r\n"
        var h = Harness(recorder([rec]))
        h.press(.enter)
        let cells = h.screen.cells.map(\.text).joined()
        #expect(!cells.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(h.text.contains("␛[2J␛]52;c;aGk=␇evil"))
    }

    @Test func aLineFeedAndABidiOverrideInAFieldAreShownByName() {
        var rec = report(1)
        rec.fields[.status] = "ANSWER\r\nX-Evil: 1"
        rec.fields[.to] = "91\u{202E}7654\u{2066}"
        var h = Harness(recorder([rec]))
        h.press(.enter)
        #expect(h.text.contains("ANSWER␍␊X-Evil: 1"), "the line feed stays visible")
        #expect(h.text.contains("91‹RLO›7654‹LRI›"), "told apart from invalid UTF-8 (�)")
        #expect(SafeText.displayed("a\u{85}b\u{FEFF}") == "a‹U+0085›b‹BOM›")
        #expect(SafeText.width("\r\n") == 2 && TextWidth.of("x\r\ny") == 4)
    }

    @Test func wideCharactersTakeTwoCellsAndAreNotSplitAtTheEdge() {
        var b = CellBuffer(width: 6, height: 1)
        let used = b.put("日本語", x: 0, y: 0, .plain)
        #expect(used == 6)
        #expect(b.lines == ["日本語"])
        var narrow = CellBuffer(width: 5, height: 1)
        narrow.put("日本語", x: 0, y: 0, .plain)
        #expect(narrow.lines == ["日本 "])
        var cut = CellBuffer(width: 5, height: 1)
        cut.put("abcdefgh", x: 0, y: 0, .plain, ellipsis: true)
        #expect(cut.lines == ["abcd…"])
    }

    @Test func combiningMarksAndEmojiStayInOneCell() {
        #expect(TextWidth.of("é") == 1)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("😀") == 2)
        #expect(TextWidth.of("☎\u{FE0F}") == 2)
        #expect(TextWidth.of("Ｓ") == 2)
    }

    @Test func absurdlyLongFieldsAreCutToTheirColumn() {
        var rec = report(1)
        rec.fields[.from] = String(repeating: "9", count: 100_000)
        let h = Harness(recorder([rec]), width: 120, height: 40)
        let row = h.screen.lines[3]
        #expect(row.contains(" 999999999999… "), "cut to its 13 columns with an ellipsis")
        #expect(row.contains("918068280000"), "the next column still shows")
    }

    @Test func oneMebibyteBodyScrollsInTheDetail() {
        var rec = report(1)
        let values = (0..<20_000).map { "\"k\($0)\":\"\(String(repeating: "v", count: 40))\"" }.joined(separator: ",")
        rec.raw = Array("{\(values)}".utf8)
        #expect(rec.raw.count > 1_000_000)
        var h = Harness(recorder([rec]))
        #expect(h.state.detail.lines.count > 20_000)
        h.press(.tab, .char("G"))
        #expect(h.text.contains("\"k19999\": \"vvvv"))
        #expect(h.text.contains("}"))
    }

    @Test func nonUTF8BodyIsShownAsAHexDump() {
        var rec = report(1)
        rec.raw = [0x7B, 0xFF, 0xFE, 0x41, 0x7D]
        var h = Harness(recorder([rec]))
        h.press(.tab, .char("G"))
        #expect(h.text.contains("00000000  7b ff fe 41 7d"))
        #expect(h.text.contains("{..A}"))
    }
}
