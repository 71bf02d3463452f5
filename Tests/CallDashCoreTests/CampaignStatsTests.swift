import Foundation
import Testing

@testable import CallDashCore

/// A report received at `second` (from a fixed base), with the fields given.
private func call(
    _ second: Int, status: String? = "ANSWER", duration: String? = "30", start: String? = "2026-11-27 10:00:00",
    end: String? = "2026-11-27 10:00:30", flow: String = "204", mid: String? = nil
) -> DeliveryRecord {
    var f = ReportFields()
    f[.status] = status
    f[.duration] = duration
    f[.startAt] = start
    f[.endAt] = end
    f[.flowID] = flow
    f[.mid] = mid ?? "m\(second)-\(UUID().uuidString.prefix(6))"
    return DeliveryRecord(
        receivedAt: Timestamp(millis: statsBase + Int64(second) * 1000), method: "POST", path: "/", contentType: "application/json",
        fields: f)
}

private let statsBase: Int64 = 1_795_773_600_000 // 2026-11-27 10:00:00 UTC

private func stats(_ records: [DeliveryRecord], _ query: StatsQuery = StatsQuery(), now second: Int = 3600) throws -> CampaignStats {
    let r = Recorder(store: ReportStore(capacity: 1_000_000), journal: nil, lastSeq: 0)
    for rec in records { try r.record(rec) }
    return try CampaignStats.compute(r.store.snapshot(), query, now: Timestamp(millis: statsBase + Int64(second) * 1000))
}

@Suite("Campaign statistics, each figure against a hand count")
struct CampaignStatsTests {
    @Test("calls, answered, ASR, ACD, talk time, short calls and SDR over accepted, non-duplicate deliveries")
    func headlineFigures() throws {
        var rejected = call(9)
        rejected.outcome = .rejected
        rejected.responseCode = 400
        let records = [
            call(1, duration: "30"), call(2, duration: "4"), call(3, duration: "oops"), call(4, status: "BUSY", duration: "0"),
            call(5, status: "NOANSWER", duration: nil), call(6, duration: "60", mid: "same"), call(7, duration: "60", mid: "same"),
            rejected
        ]
        let s = try stats(records)
        #expect(s.calls == 6, "the retry (#7) and the rejected delivery are not calls")
        #expect(s.answered == 4)
        #expect(s.asr == 4.0 / 6.0)
        #expect(s.talkSeconds == 94 && s.acdSeconds == 94.0 / 3.0, "'oops' is not a whole number of seconds")
        #expect(s.short == 1 && s.sdr == 0.25, "4 s is short (under 6), out of 4 answered")
        #expect(s.duplicates == 1 && s.rejected == 1)
        #expect(
            s.statuses == [
                StatusCount(status: "ANSWER", calls: 4), StatusCount(status: "BUSY", calls: 1), StatusCount(status: "NOANSWER", calls: 1)
            ])
        #expect(s.lastReportAt == Timestamp(millis: statsBase + 9000))
        let longer = try stats(records, StatsQuery(short: 31))
        #expect(longer.short == 2)
    }

    @Test("a status spelled five ways counts as one, under the provider's first spelling")
    func statusSpellings() throws {
        let s = try stats(["answer", " ANSWER", "Answer\t", "ANSWER", "aNsWeR "].enumerated().map { call($0.offset, status: $0.element) })
        #expect(s.statuses == [StatusCount(status: "answer", calls: 5)])
        let by = try stats(
            ["answer", " ANSWER", "BUSY"].enumerated().map { call($0.offset, status: $0.element) }, StatsQuery(by: [.field(.status)]))
        #expect(by.breakdowns[0].rows.map(\.value) == ["answer", "BUSY"] && by.breakdowns[0].rows[0].calls == 2)
        #expect(s.answered == 5 && s.asr == 1)
    }

    @Test("a store large enough to be counted on both cores gives the same statuses, spellings and breakdowns as one pass")
    func partsMerge() throws {
        let spellings = ["Weird", " weird", "ANSWER", "busy", "odd status"]
        let records = (0..<100_000).map { n in
            call(n % 3000, status: n < 10 ? (n % 2 == 0 ? nil : "odd status") : spellings[n % 5], mid: "p\(n)")
        }
        let s = try stats(records, StatsQuery(by: [.field(.status)]))
        #expect(s.statuses.map(\.status) == ["Weird", "odd status", "ANSWER", "busy", ""])
        #expect(s.statuses.map(\.calls) == [39_996, 20_003, 19_998, 19_998, 5])
        #expect(s.breakdowns[0].rows.map(\.value).first == "Weird" && s.breakdowns[0].rows.first?.calls == s.statuses.first?.calls)
        #expect(s.calls == 100_000)
    }

    @Test("an end time read as a time of day on the start's date is the same as read whole, also across midnight and for bad times")
    func endOnTheStartDay() {
        let starts = ["2026-11-27 10:00:00", "1969-12-31 23:59:59", "2026-11-27 23:59:59"]
        let ends = [
            "2026-11-27 10:00:30", "2026-11-27 23:59:60", "2026-11-28 00:00:05", "1969-12-31 23:59:59", "2026-11-27 24:00:00",
            "2026-11-27 10:0a:00", "2026-11-27T10:00:00", "2026-11-27 10:00"
        ]
        for start in starts {
            for end in ends {
                let (s, e) = (Array(start.utf8), Array(end.utf8))
                s.withUnsafeBufferPointer { sp in
                    e.withUnsafeBufferPointer { ep in
                        #expect(
                            StatsTally.providerTime(ep, sameDayAs: sp, at: StatsTally.providerTime(sp)) == StatsTally.providerTime(ep),
                            "\(start) → \(end)")
                    }
                }
            }
        }
    }

    @Test("peak concurrency from start and end: overlapping calls count, one ending as another starts does not")
    func peakConcurrency() throws {
        let s = try stats([
            call(1, start: "2026-11-27 10:00:00", end: "2026-11-27 10:01:00"),
            call(2, start: "2026-11-27 10:00:30", end: "2026-11-27 10:02:00"),
            call(3, start: "2026-11-27 10:00:45", end: "2026-11-27 10:00:50"),
            call(4, start: "2026-11-27 10:02:00", end: "2026-11-27 10:03:00"), // starts as #2 ends
            call(5, start: "2026-11-27 10:05:00", end: "2026-11-27 10:04:00"), // ends before it starts
            call(6, start: "yesterday", end: nil),
            call(7, start: "2031-01-01 00:00:00", end: "2031-01-01 00:00:10") // in the future: still a call
        ])
        #expect(s.peakConcurrent == 3)
        #expect(s.unparseableTimes == 2)
        #expect(s.calls == 7)
    }

    @Test("the window keeps deliveries received from since ago up to now, edges included")
    func windowEdges() throws {
        let records = [call(0), call(2699), call(2700), call(3600), call(3601)]
        let s = try stats(records, StatsQuery(since: 900), now: 3600)
        #expect(s.calls == 2, "2700 (exactly 15 minutes ago) and 3600 (now); 3601 is after now")
        #expect(s.from == Timestamp(millis: statsBase + 2_700_000) && s.to == Timestamp(millis: statsBase + 3_600_000))
        #expect(try stats(records, now: 3600).calls == 4)
    }

    @Test("breakdowns: most calls first with per-status counts, ASR and ACD; hour and date from start_at; missing groups as empty")
    func breakdowns() throws {
        let records = [
            call(1, flow: "204"), call(2, status: "BUSY", flow: "204"), call(3, flow: "205", mid: "x"),
            call(4, start: "2026-11-27 14:10:00", end: "2026-11-27 14:11:00", flow: "204"), call(5, start: nil, end: nil, flow: "")
        ]
        let s = try stats(records, StatsQuery(by: [.field(.flowID), .hour, .date]))
        let flows = s.breakdowns[0].rows
        #expect(flows.map(\.value) == ["204", "", "205"])
        #expect(flows[0].calls == 3 && flows[0].answered == 2 && flows[0].asr == 2.0 / 3.0 && flows[0].acdSeconds == 30)
        #expect(flows[0].statuses == [StatusCount(status: "ANSWER", calls: 2), StatusCount(status: "BUSY", calls: 1)])
        #expect(s.breakdowns[1].rows.map(\.value) == ["10", "", "14"], "a tie goes by value")
        #expect(s.breakdowns[2].rows.map(\.value) == ["2026-11-27", ""] && s.breakdowns[2].rows[0].calls == 4)
    }

    @Test("100,000 distinct values give the top N and one 'others' row holding the rest")
    func manyDistinctValues() throws {
        let records = (0..<100_000).map { call($0 % 3000, flow: "f\($0)", mid: "m\($0)") } + [call(1, flow: "f7", mid: "again")]
        let s = try stats(records, StatsQuery(by: [.field(.flowID)], top: 5))
        let b = s.breakdowns[0]
        #expect(b.rows.count == 5 && b.rows[0].value == "f7" && b.rows[0].calls == 2)
        #expect(b.distinctValues == 100_000)
        #expect(b.others?.calls == 100_001 - 2 - 4 && b.others?.value == "others")
    }

    @Test("arrivals per bucket over the window, empty buckets included, stacked by status")
    func series() throws {
        let records = [call(0), call(30, status: "BUSY"), call(150), call(3599)]
        let s = try stats(records, StatsQuery(since: 600, series: .oneMinute), now: 3600)
        let points = try #require(s.series?.points)
        #expect(points.count == 11, "from 50:00 to 60:00, both ends' minutes")
        #expect(points.last?.calls == 0 && points[points.count - 2].calls == 1)
        #expect(points.dropLast(2).allSatisfy { $0.calls == 0 })
        let all = try stats(records, StatsQuery(series: .oneMinute), now: 3600)
        #expect(all.series?.points.first?.calls == 2 && all.series?.points.first?.statuses.count == 2)
        #expect(all.series?.points[2].calls == 1 && all.series?.points.count == 61)
        #expect(throws: StatsQueryError.self) { try stats(records, StatsQuery(since: 30 * 86_400, series: .oneMinute)) }
    }

    @Test("query parameters are checked, and the error names the bad one")
    func queryParameters() {
        let q = try? StatsQuery(parameters: [
            ("since", "15m"), ("by", "flow_id"), ("by", "hour"), ("series", "5m"), ("short", "3"), ("top", "7")
        ])
        #expect(q == StatsQuery(since: 900, by: [.field(.flowID), .hour], series: .fiveMinutes, short: 3, top: 7))
        #expect(
            (try? StatsQuery(parameters: [("by", "Flow_ID")]))?.by == [.field(.flowID)],
            "a field's name ignoring case, as the API's filters")
        #expect {
            try StatsQuery(parameters: [("since", "1h"), ("since", "2h")])
        } throws: { ($0 as? StatsQueryError)?.problem == "given twice (only by= repeats)" }
        for (name, value) in [
            ("since", "soon"), ("since", "0m"), ("by", "colour"), ("series", "2m"), ("short", "-1"), ("top", "x"), ("what", "1")
        ] {
            #expect {
                try StatsQuery(parameters: [(name, value)])
            } throws: { ($0 as? StatsQueryError)?.parameter == name }
        }
    }

    @Test(
        "odd data never traps nor grows without bound: a zero-length last call over a long span, 18-digit durations, thousands of statuses, too many breakdowns"
    )
    func oddData() throws {
        let far = try stats([
            call(1, start: "2020-01-01 00:00:00", end: "2020-01-01 00:01:00"),
            call(2, start: "2031-01-01 00:00:00", end: "2031-01-01 00:00:00")
        ])
        #expect(far.peakConcurrent == 1, "more than 60 days apart: the sorting path, its last call of no length")
        let huge = try stats((0..<12).map { call($0, duration: "999999999999999999") } + [call(20, duration: "30")])
        #expect(huge.talkSeconds == 30 && huge.acdSeconds == 30, "a talk time of 31 billion years is not one")
        #expect(CampaignStats.decimal(1e30, places: 2) == "1e+30")
        let many = try stats((0..<3000).map { call($0, status: "S\($0)") }, StatsQuery(by: [.field(.status)], series: .oneHour))
        #expect(many.statuses.count == StatusNames.maxOthers + 1 && many.statuses.first?.status == "(other statuses)")
        #expect(many.statuses.reduce(0) { $0 + $1.calls } == 3000)
        #expect(throws: StatsQueryError.self) {
            try StatsQuery(parameters: ["status", "flow_id", "bridge", "source", "hour"].map { ("by", $0) })
        }
    }

    @Test("an empty store gives zeros, never a division by zero")
    func empty() throws {
        let s = try stats([], StatsQuery(by: [.field(.status)], series: .oneHour))
        #expect(s.calls == 0 && s.asr == 0 && s.acdSeconds == 0 && s.sdr == 0 && s.peakConcurrent == 0 && s.lastReportAt == nil)
        #expect(s.breakdowns[0].rows.isEmpty && s.series?.points.isEmpty == true)
    }
}
