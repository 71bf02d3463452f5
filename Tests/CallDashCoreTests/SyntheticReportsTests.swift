import Testing

@testable import CallDashCore

@Suite("Synthetic reports look like a real campaign")
struct SyntheticReportsTests {
    private func reports(_ n: Int, seed: UInt64 = 7) throws -> [ParsedDelivery] {
        var g = SyntheticReports(seed: seed)
        return try (0..<n).map { _ in
            try DeliveryParser().parse(query: [], contentType: "application/json", body: g.next(now: Timestamp(millis: 1_790_000_000_000)))
        }
    }

    @Test("mids are distinct across many reports")
    func distinctMids() throws {
        let mids = try reports(20_000).compactMap { $0.fields[.mid] }
        #expect(Set(mids).count == 20_000)
    }

    @Test("every status appears, answered calls dominate, and only answered calls have talk time and a recording")
    func statusMix() throws {
        let all = try reports(5000)
        let byStatus = Dictionary(grouping: all) { $0.fields[.status] ?? "" }
        #expect(Set(byStatus.keys) == Set(CallStatus.allCases.map(\.rawValue)))
        #expect(byStatus["ANSWER"]!.count > 2000 && byStatus["ANSWER"]!.count < 3500)
        for r in all {
            let answered = r.fields[.status] == "ANSWER"
            #expect(answered == !(r.fields[.recordingURL] ?? "").isEmpty)
            #expect(answered == (Int(r.fields[.duration] ?? "0")! > 0))
        }
    }

    @Test("numbers are Indian: 91 and a ten-digit mobile starting 6-9, sent unquoted")
    func numbers() throws {
        var g = SyntheticReports(seed: 1)
        let body = String(decoding: g.next(now: Timestamp(millis: 0)), as: UTF8.self)
        #expect(body.contains("\"bridge\":9180"))
        for r in try reports(500) {
            let to = r.fields[.to]!
            #expect(to.count == 12 && to.hasPrefix("91") && "6789".contains(to[to.index(to.startIndex, offsetBy: 2)]))
        }
    }

    @Test("start and end are provider-local times whose difference covers the talk time")
    func times() throws {
        for r in try reports(300) {
            let start = r.fields[.startAt]!
            let end = r.fields[.endAt]!
            #expect(start.count == 19 && end.count == 19 && start <= end)
        }
        #expect(SyntheticReports.localTime(0) == "1970-01-01 05:30:00")
    }

    @Test("the same seed gives the same traffic")
    func reproducible() {
        var a = SyntheticReports(seed: 99)
        var b = SyntheticReports(seed: 99)
        #expect(a.next(now: Timestamp(millis: 5)) == b.next(now: Timestamp(millis: 5)))
    }
}

@Suite("Campaign-shaped synthetic reports")
struct CampaignShapeTests {
    @Test("four flows that answer differently, three bridges, a share of byte-for-byte retries, calls in office hours")
    func campaignShape() throws {
        var g = SyntheticReports(seed: 11, campaignShape: true)
        let now = Timestamp(millis: 1_795_773_600_000)
        let bodies = (0..<4000).map { _ in g.next(now: now) }
        let r = Recorder(store: ReportStore(capacity: 10_000), journal: nil, lastSeq: 0)
        for b in bodies {
            let parsed = try DeliveryParser().parse(query: [], contentType: "application/json", body: b)
            try r.record(DeliveryRecord(receivedAt: now, method: "POST", path: "/", contentType: "application/json", fields: parsed.fields))
        }
        let s = try CampaignStats.compute(r.store.snapshot(), StatsQuery(by: [.field(.flowID), .field(.bridge), .hour], top: 50), now: now)
        let flows = s.breakdowns[0].rows
        #expect(flows.count == 4)
        #expect(flows.map(\.asr) == flows.map(\.asr).sorted(by: >) && (flows.first?.asr ?? 0) - (flows.last?.asr ?? 0) > 0.4)
        #expect(s.breakdowns[1].rows.count == 3)
        #expect((2...6).contains(s.duplicates * 100 / bodies.count), "about 4% are retries: \(s.duplicates)")
        #expect(s.breakdowns[2].rows.allSatisfy { (9...21).contains(Int($0.value) ?? -1) }, "every call starts in office hours")
        #expect(s.unparseableTimes == 0 && s.peakConcurrent > 1)
    }
}
