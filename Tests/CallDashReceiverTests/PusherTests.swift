import CallDashClient
import CallDashCore
import Foundation
import Testing

@testable import CallDashReceiver

@Suite("push plays the provider: only 200 and 202 count, failures are retried")
struct PusherTests {
    @Test("synthetic reports all arrive, each with a distinct mid")
    func syntheticDelivered() async throws {
        try await TestReceiver.run { r async throws in
            let pusher = Pusher()
            let summary = await pusher.push(PushPlan(url: r.base + "/ack", count: 50), source: .synthetic(seed: 3))
            await pusher.shutdown()
            #expect(
                summary
                    == {
                        var s = PushSummary()
                        s.sent = 50
                        s.delivered = 50
                        s.attempts = 50
                        return s
                    }())
            let snap = r.recorder.store.snapshot()
            #expect(Set((0..<snap.count).compactMap { snap[$0].fields[.mid] }).count == 50)
        }
    }

    @Test("202 counts as delivered")
    func accepted202() async throws {
        try await TestReceiver.run(respond: 202) { r async throws in
            let pusher = Pusher()
            let summary = await pusher.push(PushPlan(url: r.base + "/ack", count: 3), source: .given([Array(seedReport.utf8)]))
            await pusher.shutdown()
            #expect(summary.delivered == 3 && summary.failed == 0)
        }
    }

    @Test("any other answer fails after every attempt, with backoff, and is reported by its status")
    func otherStatusesFail() async throws {
        try await TestReceiver.run(respond: 201) { r async throws in
            let pusher = Pusher()
            let plan = PushPlan(url: r.base + "/ack", count: 2, attempts: 3, initialBackoff: .milliseconds(10))
            let summary = await pusher.push(plan, source: .synthetic(seed: 1))
            await pusher.shutdown()
            #expect(summary.sent == 2 && summary.failed == 2 && summary.delivered == 0)
            #expect(summary.attempts == 6)
            #expect(summary.failures == ["201": 2])
            #expect(r.recorder.store.snapshot().count == 6)
        }
    }

    @Test("no answer at all is a failure too")
    func unreachable() async throws {
        let r = try await TestReceiver.start()
        let port = r.port
        await r.stop()
        let pusher = Pusher()
        let summary = await pusher.push(
            PushPlan(url: "http://127.0.0.1:\(port)/ack", count: 1, attempts: 2, initialBackoff: .milliseconds(10)),
            source: .synthetic(seed: 1))
        await pusher.shutdown()
        #expect(summary.failed == 1 && summary.attempts == 2)
        #expect(summary.failures.keys.first == "connection refused by 127.0.0.1:\(port)")
    }

    @Test("--rate spaces reports out")
    func rate() async throws {
        try await TestReceiver.run { r async throws in
            let pusher = Pusher()
            let start = ContinuousClock.now
            _ = await pusher.push(PushPlan(url: r.base + "/ack", count: 6, rate: 20), source: .synthetic(seed: 2))
            await pusher.shutdown()
            #expect(ContinuousClock.now - start >= .milliseconds(250))
        }
    }

    @Test("reports given in a file keep their exact bytes: object, array and JSON Lines")
    func reportFiles() throws {
        #expect(try ReportFile.reports(in: Array(seedReport.utf8), name: "f") == [Array(seedReport.utf8)])
        #expect(
            try ReportFile.reports(in: Array("[{\"a\":1}, {\"b\":2.50}]".utf8), name: "f") == [
                Array("{\"a\":1}".utf8), Array("{\"b\":2.50}".utf8)
            ])
        #expect(try ReportFile.reports(in: Array("{\"a\":1}\n{\"b\":2}\n".utf8), name: "f").count == 2)
        #expect(throws: ReportFileError.self) { try ReportFile.reports(in: Array("[1]".utf8), name: "f") }
        #expect(throws: ReportFileError.self) { try ReportFile.reports(in: Array("{\"a\":1,}".utf8), name: "f") }
    }
}
