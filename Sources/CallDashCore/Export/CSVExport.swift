/// The CSV form of exported reports: one header row, then one row per report with its
/// delivery facts and every standard field, exactly as sent (RFC 4180 quoting).
public enum CSVExport {
    public static var header: String { CallColumn.csv.map(\.key).joined(separator: ",") + "\r\n" }

    /// One report's row. `forSpreadsheets` writes a long number as a text formula (`="…"`)
    /// that Excel, Sheets and LibreOffice show as typed instead of through a float.
    public static func row(_ s: ReportSummary, forSpreadsheets: Bool = false) -> String {
        CallColumn.csv.map { c in
            let v = c.raw(s)
            return forSpreadsheets && readAsFloat(v) ? "\"=\"\"\(v)\"\"\"" : quoted(v)
        }.joined(separator: ",") + "\r\n"
    }

    /// Whether a spreadsheet would turn `v` into a number that loses what it says: 12 digits
    /// or more show as 9.18E+11 (and lose digits after 15), a leading 0 or + is dropped.
    static func readAsFloat(_ v: String) -> Bool {
        let digits = v.first == "+" ? v.dropFirst() : Substring(v)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return digits.count >= 12 || v.first == "+" || (digits.count > 1 && digits.first == "0")
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
