import CallDashCore

/// Reports read from a file for `push --report`: one JSON object, an array of objects, or
/// JSON Lines. Each report is kept as its exact bytes, so numbers go out exactly as written.
public enum ReportFile {
    public static func reports(in bytes: [UInt8], name: String) throws(ReportFileError) -> [[UInt8]] {
        try bytes.withUnsafeBufferPointer { (p) throws(ReportFileError) in
            if let bad = UTF8Validation.firstInvalidOffset(p) {
                throw ReportFileError("\(name): invalid UTF-8 at byte \(bad)")
            }
            var scanner = JSONScanner(p)
            var reports: [[UInt8]] = []
            func take(_ s: inout JSONScanner) throws(JSONError) {
                s.skipWhitespace()
                let at = s.position
                guard s.peekKind() == .object else {
                    throw JSONError("expected a report (a JSON object), found \(s.peekKind()?.article ?? "something else")", at: at)
                }
                reports.append(Array(UnsafeBufferPointer(rebasing: p[try s.skipValue()])))
            }
            do throws(JSONError) {
                scanner.skipWhitespace()
                if scanner.peekKind() == .array {
                    try scanner.readArray { (s) throws(JSONError) in try take(&s) }
                    try scanner.expectEnd()
                } else {
                    while !scanner.isAtEnd {
                        try take(&scanner)
                        scanner.skipWhitespace()
                    }
                }
            } catch {
                throw ReportFileError("\(name): \(error.description)")
            }
            if reports.isEmpty { throw ReportFileError("\(name): no reports in the file") }
            return reports
        }
    }
}

public struct ReportFileError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
