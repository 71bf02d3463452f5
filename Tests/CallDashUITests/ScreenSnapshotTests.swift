import CallDashCore
import Testing

@testable import CallDashUI

@Suite("Calls screen snapshots")
struct ScreenSnapshotTests {
    @Test func callsScreenAt120x40ShowsHeaderListAndDetailOfTheNewestCall() {
        let h = Harness(mixedRecorder(), width: 120, height: 40)
        assertSnapshot(h.text, named: "calls-120x40")
    }

    @Test func callsScreenAt80x24ShowsTheListWithFewerColumns() {
        let h = Harness(mixedRecorder(), width: 80, height: 24)
        assertSnapshot(h.text, named: "calls-80x24")
    }

    @Test func enterAt80x24OpensTheDetailInPlaceOfTheList() {
        var h = Harness(mixedRecorder(), width: 80, height: 24)
        h.press(.char("j"), .enter)
        assertSnapshot(h.text, named: "detail-80x24")
    }

    @Test func rejectedDeliveryShowsItsErrorAndPointsAtTheBadByte() {
        var h = Harness(mixedRecorder(), width: 120, height: 40)
        h.press(.char("x"))
        assertSnapshot(h.text, named: "rejected-120x40")
    }

    @Test func helpOverlayListsTheKeys() {
        var h = Harness(mixedRecorder(), width: 120, height: 40)
        h.press(.char("?"))
        assertSnapshot(h.text, named: "help-120x40")
    }

    @Test func tooSmallTerminalSaysSoInsteadOfDrawingPanes() {
        let h = Harness(mixedRecorder(), width: 30, height: 8)
        assertSnapshot(h.text, named: "too-small-30x8")
        #expect(h.text.contains("Terminal too small"))
    }

    @Test func emptyStoreTellsWhereToSendReports() {
        let h = Harness(recorder([]), width: 80, height: 24)
        #expect(h.text.contains("Waiting for calls… POST a report to http://127.0.0.1:8080/"))
        #expect(h.text.contains("0 of 0"))
    }
}
