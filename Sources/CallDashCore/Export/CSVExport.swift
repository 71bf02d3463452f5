/// The CSV form of exported reports: one header row, then one row per report with its
/// delivery facts and every standard field, exactly as sent (RFC 4180 quoting).
public enum CSVExport {
    public static var header: String { CallColumn.csv.map(\.key).joined(separator: ",") + "\r\n" }

    public static func row(_ s: ReportSummary) -> String {
        CallColumn.csv.map { quoted($0.raw(s)) }.joined(separator: ",") + "\r\n"
    }

    /// Quotes a cell when it holds a comma, quote or line break (compared by scalar: "\r\n" is
    /// one Character). A leading `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a
    /// spreadsheet never runs a report's text as a formula.
    static func quoted(_ v: String) -> String {
        var v = v
        if let c = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(c), Int(v) == nil { v = "'" + v }
        guard v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingAll("\"", with: "\"\"") + "\""
    }
}
