import CallDashCore
import Testing

@testable import CallDashUI

@Suite("Filtering and sorting the list")
struct VisibleCallsTests {
    /// The reports a filter keeps, decided the slow way from decoded summaries.
    func expected(_ snap: StoreSnapshot, _ f: CallFilter) -> [UInt64] {
        (0..<snap.count).map { snap[$0] }.filter { s in
            if f.rejectedOnly && s.outcome != .rejected { return false }
            if !f.statuses.isEmpty && !f.statuses.contains(StatusSlot(code: s.statusCode)) { return false }
            if f.text.isEmpty { return true }
            let texts = [s.method] + (s.error.map { [$0] } ?? []) + s.fields.present.map(\.value)
            return texts.contains { $0.lowercased().contains(f.text.lowercased()) }
        }.map(\.seq)
    }

    @Test(arguments: [
        CallFilter(), CallFilter(statuses: [.answer]), CallFilter(statuses: [.noAnswer, .busy]), CallFilter(rejectedOnly: true),
        CallFilter(text: "ANSWER"), CallFilter(text: "click2call"), CallFilter(text: "00007"), CallFilter(text: "trailing comma"),
        CallFilter(statuses: [.answer], text: "obd")
    ])
    func filterKeepsExactlyTheMatchingReports(_ f: CallFilter) {
        let snap = mixedRecorder().store.snapshot()
        var v = VisibleCalls()
        v.apply(f, sort: .time, to: snap)
        #expect(v.keys.map(VisibleCalls.seq(ofKey:)) == expected(snap, f))
    }

    @Test func incrementalRefreshMatchesAFullRecomputeForEverySort() {
        for sort in SortKey.allCases {
            let r = mixedRecorder()
            var v = VisibleCalls()
            v.apply(CallFilter(text: "a"), sort: sort, to: r.store.snapshot())
            for n in 30..<60 {
                try! r.record(report(n, status: statuses[n % statuses.count], duration: n % 7 * 13))
                if n % 7 == 0 { v.refresh(r.store.snapshot()) }
            }
            v.refresh(r.store.snapshot())
            var full = VisibleCalls()
            full.apply(CallFilter(text: "a"), sort: sort, to: r.store.snapshot())
            #expect(v.keys == full.keys, "sort \(sort)")
        }
    }

    @Test func narrowingASearchGivesTheSameResultAsSearchingAgain() {
        let snap = mixedRecorder().store.snapshot()
        var v = VisibleCalls()
        v.apply(CallFilter(text: "9198"), sort: .duration, to: snap)
        v.apply(CallFilter(text: "91987650001"), sort: .duration, to: snap)
        var fresh = VisibleCalls()
        fresh.apply(CallFilter(text: "91987650001"), sort: .duration, to: snap)
        #expect(v.keys == fresh.keys)
        #expect(v.count == 10)
    }

    @Test func evictionDropsTheOldestFromEverySort() {
        for sort in SortKey.allCases {
            let r = recorder((1...10).map { report($0, duration: $0) }, capacity: 10)
            var v = VisibleCalls()
            v.apply(CallFilter(), sort: sort, to: r.store.snapshot())
            for n in 11...14 { try! r.record(report(n, duration: 100 - n)) }
            v.refresh(r.store.snapshot())
            #expect(Set(v.keys.map(VisibleCalls.seq(ofKey:))) == Set(5...14), "sort \(sort)")
        }
    }

    @Test func durationSortPutsCallsWithoutANumberFirstAscending() {
        var a = report(1, duration: 5)
        a.fields[.duration] = "n/a"
        let r = recorder([a, report(2, duration: 9), report(3, duration: 1)])
        var v = VisibleCalls()
        v.apply(CallFilter(), sort: .duration, to: r.store.snapshot())
        #expect(v.keys.map(VisibleCalls.seq(ofKey:)) == [1, 3, 2])
    }
}

@Suite("One column model for every listing")
struct CallColumnTests {
    @Test("narrow terminals keep who was called, how long and which call before FROM and BRIDGE")
    func narrowKeepsTellingColumns() {
        let at = { (w: Int) in CallColumn.fitting(CallColumn.list, width: w).map(\.column) }
        #expect(at(40) == [.receivedAt, .field(.status), .field(.to)])
        #expect(at(64) == [.receivedAt, .field(.status), .field(.to), .field(.duration), .field(.mid)])
        #expect(!at(75).contains(.field(.bridge)))
        #expect(at(200) == CallColumn.list)
    }

    @Test("a rejected row shows its error across the row, not squeezed into the MID column")
    func rejectedRowShowsItsError() {
        var h = Harness(mixedRecorder())
        let row = h.screen.lines.first { $0.contains("REJECTED") } ?? ""
        #expect(row.contains("REJECTED    malformed JSON: trailing comma before '}' at byte 39"), "\(row)")
        h.press(.char("s"), .char("s"))
        #expect(h.screen.lines.contains { $0.contains("STATUS ↑") }, "the sorted column says so")
    }

    @Test("the list, the export and the tail take the same values: durations over an hour read h:mm:ss")
    func sameValuesEverywhere() {
        let s = ReportSummary(report(1, duration: 3725), location: .inline([]))
        #expect(CallColumn.field(.duration).shown(s, utcOffset: 0) == "1:02:05")
        #expect(CallColumn.field(.duration).raw(s) == "3725")
        #expect(CSVExport.header.hasPrefix("seq,received_at,outcome,response_code,method,error,"))
        #expect(CSVExport.row(s).contains(",3725,"))
        #expect(!CSVExport.row(s).contains("=\""), "plain CSV keeps every value as sent")
    }
}
