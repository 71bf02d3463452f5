import Testing

@testable import CallDashCore

@Suite("What became of each delivery's forward, read back from the journal's forward lines")
struct ForwardOutcomesTests {
    let url = "http://127.0.0.1:3000"

    func made(_ seq: UInt64, delivered: Bool) -> ForwardAttempt {
        ForwardAttempt(
            seq: seq, at: Timestamp(millis: 1_700_000_000_000), url: url, attempt: 1, status: delivered ? 200 : 500, ms: 3,
            error: delivered ? nil : "the app answered 500", delivered: delivered)
    }

    @Test("a run the full queue left answers for each of its deliveries; an attempt of one delivery inside it is that one's")
    func runsAndSingles() {
        var o = ForwardOutcomes()
        o.note(made(1, delivered: true))
        o.note(.notMade(10...20, url: url, why: ForwardAttempt.queueFull(limit: 5)))
        o.note(.notMade(3...4, url: url, why: ForwardAttempt.queueFull(limit: 5))) // out of order: put in place
        o.note(made(15, delivered: true))
        #expect(o.last(of: 1)?.delivered == true)
        #expect(o.last(of: 2) == nil && o.last(of: 5) == nil && o.last(of: 9) == nil && o.last(of: 21) == nil)
        for seq: UInt64 in [3, 4, 10, 14, 16, 20] {
            let a = o.last(of: seq)
            #expect(a?.seq == seq && a?.through == nil && a?.attempt == 0 && a?.delivered == false, "seq \(seq)")
        }
        #expect(o.last(of: 15)?.delivered == true)
        o.keep(12...30)
        #expect(o.last(of: 1) == nil && o.last(of: 4) == nil && o.last(of: 12)?.attempt == 0 && o.last(of: 15)?.delivered == true)
    }

    @Test("pending deliveries are the ones whose last word is that calldash stopped first, in seq order")
    func pending() {
        var o = ForwardOutcomes()
        for seq: UInt64 in [7, 3, 5] { o.note(.notMade(seq...seq, url: url, why: ForwardAttempt.stoppedFirst, pending: true)) }
        o.note(made(5, delivered: false))
        #expect(o.pending == [3, 7], "seq 5 was tried again after")
    }

    @Test("a run and a pending mark read back from their journal lines as written; damaged lines that still parse are refused")
    func linesReadBack() throws {
        for a in [
            ForwardAttempt.notMade(4...9, url: url, why: ForwardAttempt.queueFull(limit: 5)),
            .notMade(4...4, url: url, why: ForwardAttempt.stoppedFirst, pending: true), made(2, delivered: true)
        ] {
            let line = a.line()
            let back = try line.withUnsafeBufferPointer { try ForwardAttempt(json: $0) }
            #expect(back.seq == a.seq && back.through == a.through && back.pending == a.pending && back.error == a.error)
        }
        for damaged in [
            #"{"forward_of":3,"attempt":1,"status":200,"ms":1,"error":null,"delivered":true}"#,
            #"{"forward_of":3,"through":3,"url":"http://a","attempt":0,"delivered":false}"#,
            #"{"forward_of":3,"url":"http://a","attempt":0,"delivered":false,"pending":1}"#
        ] {
            #expect(throws: JSONError.self, "\(damaged)") {
                try Array(damaged.utf8).withUnsafeBufferPointer { try ForwardAttempt(json: $0) }
            }
        }
    }
}
