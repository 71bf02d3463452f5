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

    @Test("runs that overlap others (damage, journals put together) keep only the seqs no other run has")
    func overlappingRuns() {
        var o = ForwardOutcomes()
        let why = ForwardAttempt.queueFull(limit: 5)
        o.note(.notMade(1...100, url: url, why: why))
        o.note(.notMade(5...6, url: url, why: "inside"))
        o.note(.notMade(90...120, url: url, why: "across the end"))
        o.note(.notMade(1...100, url: url, why: "again"))
        #expect(o.count == 2, "the run inside and the repeat add nothing")
        #expect(o.last(of: 50)?.error == why && o.last(of: 5)?.error == why)
        #expect(o.last(of: 100)?.error == why && o.last(of: 101)?.error == "across the end" && o.last(of: 121) == nil)
    }

    @Test("start-up keeps what the newest deliveries the store holds are about")
    func pruneBoundary() {
        var o = ForwardOutcomes()
        for seq: UInt64 in 1...3_100 { o.note(made(seq, delivered: true)) }
        o.prune(capacity: 1_000, lastSeq: 3_100)
        #expect(o.last(of: 2_100) == nil && o.last(of: 2_101)?.seq == 2_101 && o.last(of: 3_100) != nil)
    }

    @Test("a record's forward is its own delivery's: a run in it, or a forward event that is not one, is refused")
    func recordForwardIsOneDelivery() {
        let run =
            #"{"seq":4,"received_at":"2026-12-01T10:00:00.000Z","forward":{"at":"2026-12-01T10:00:00.000Z","url":"http://a","attempts":0,"through":9,"status":null,"ms":0,"error":"x","delivered":false,"reply":""}}"#
        #expect(throws: JSONError.self) { try DeliveryRecord(json: Array(run.utf8)) }
        let backwards =
            #"{"seq":9,"forward":{"at":"2026-12-01T10:00:00.000Z","url":"http://a","attempts":0,"through":4,"delivered":false}}"#
        #expect(throws: JSONError.self) { try ForwardAttempt(event: Array(backwards.utf8)) }
        let fine = #"{"seq":4,"forward":{"at":"2026-12-01T10:00:00.000Z","url":"http://a","attempts":0,"through":9,"delivered":false}}"#
        #expect((try? ForwardAttempt(event: Array(fine.utf8)))?.through == 9)
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
            let back = try a.line().withUnsafeBufferPointer { try ForwardAttempt(json: $0) }
            #expect(back == a)
        }
        let at = #""at":"2026-12-03T10:00:00.000Z""#
        for damaged in [
            #"{"forward_of":3,\#(at),"attempt":1,"status":200,"ms":1,"error":null,"delivered":true}"#, // no url
            #"{"forward_of":3,"url":"http://a","attempt":1,"status":200,"delivered":true}"#, // no at
            #"{"forward_of":3,\#(at),"url":"http://a","status":200,"delivered":true}"#, // no attempt
            #"{"forward_of":3,"through":3,\#(at),"url":"http://a","attempt":0,"delivered":false}"#, // a run of one
            #"{"forward_of":3,"through":2,\#(at),"url":"http://a","attempt":0,"delivered":false}"#, // a run backwards
            #"{"forward_of":3,"through":9,\#(at),"url":"http://a","attempt":2,"delivered":false}"#, // a run of attempts
            #"{"forward_of":3,\#(at),"url":"http://a","attempt":0,"delivered":true}"#, // delivered, not made
            #"{"forward_of":3,\#(at),"url":"http://a","attempt":2,"delivered":false,"pending":true}"#, // pending, made
            #"{"forward_of":3,\#(at),"url":"http://a","attempt":0,"delivered":false,"pending":1}"#
        ] {
            #expect(throws: JSONError.self, "\(damaged)") {
                try Array(damaged.utf8).withUnsafeBufferPointer { try ForwardAttempt(json: $0) }
            }
        }
    }
}
