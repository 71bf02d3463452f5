import Testing

@testable import CallDashCore

@Suite("A receiver's page of records, read as a client reads it")
struct PageTests {
    @Test("the last seq is read off the page's bytes, not fooled by a body or an extra key that spell a record's start")
    func lastSeqOffTheBytes() throws {
        var a = sampleRecord(raw: #"{"seq":999,"status":"BUSY"}"#)
        a.seq = 41
        var b = sampleRecord()
        b.seq = 42
        b.extra = [NameValue("seq", "7")]
        let page = Array("[".utf8) + a.json() + Array(",".utf8) + b.json() + Array("]".utf8)
        #expect(DeliveryRecord.lastSeq(inPage: page) == 42)
        #expect(DeliveryRecord.records(inPage: page).lastSeq == 42)
        let onlyA = Array("[".utf8) + a.json() + Array("]".utf8)
        #expect(DeliveryRecord.lastSeq(inPage: onlyA) == 41, "the body's {\"seq\":999 is escaped in the record")
        #expect(DeliveryRecord.lastSeq(inPage: Array("[]".utf8)) == nil)
        #expect(DeliveryRecord.lastSeq(inPage: Array(#"{"seq":"#.utf8)) == nil)
    }
}
