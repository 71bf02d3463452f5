import Foundation

@testable import CallDashCore

/// A fresh folder under the system temp dir, removed by the caller.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "calldash-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A delivery record like the receiver makes from a standard report.
func sampleRecord(status: String = "ANSWER", mid: String = "1234-1333-00001", raw: String? = nil) -> DeliveryRecord {
    var fields = ReportFields()
    fields[.bridge] = "918068280000"
    fields[.to] = "919876543210"
    fields[.status] = status
    fields[.mid] = mid
    fields[.duration] = "23"
    let body = raw ?? #"{"bridge":918068280000,"to":919876543210,"status":"\#(status)","mid":"\#(mid)","duration":"23"}"#
    return DeliveryRecord(
        receivedAt: Timestamp(millis: 1_790_000_000_123), method: "POST", path: "/ack/receive",
        headers: [NameValue("Content-Type", "application/json"), NameValue("Authorization", "Bearer s3cret")],
        remote: "127.0.0.1:5000", contentType: "application/json", fields: fields, raw: Array(body.utf8))
}

func summary(seq: UInt64, status: String? = "ANSWER", outcome: Outcome = .accepted) -> ReportSummary {
    var fields = ReportFields()
    fields[.status] = status
    fields[.mid] = "m-\(seq)"
    return ReportSummary(
        seq: seq, receivedAt: Timestamp(millis: Int64(seq)), responseCode: 200, outcome: outcome, method: "POST",
        error: outcome == .rejected ? "bad" : nil, webhook: nil, fields: fields, location: .journal(offset: seq * 100, length: 99))
}

func lines(of path: String) -> [String] {
    (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
}
