import CallDashCore
import CallDashUI

/// One delivery as a line of the live tail.
enum TailLine {
    static let header =
        pad("TIME", 8) + "  " + pad("SEQ", 6) + "  " + pad("STATUS", 11) + "  " + pad("FROM", 14) + "  "
        + pad("TO", 14) + "  " + pad("DUR", 6, right: true) + "  " + pad("SOURCE", 10) + "  MID"

    static func format(_ r: DeliveryRecord) -> String {
        let time = String(r.receivedAt.iso8601.dropFirst(11).prefix(8))
        if r.outcome == .rejected {
            return pad(time, 8) + "  " + pad("#\(r.seq)", 6) + "  " + pad("REJECTED", 11)
                + "  \(r.responseCode) \(r.method) \(r.path): \(clean(r.error ?? ""))"
        }
        let f = r.fields
        return pad(time, 8) + "  " + pad("#\(r.seq)", 6) + "  " + pad(f[.status] ?? "-", 11) + "  " + pad(f[.from] ?? "-", 14) + "  "
            + pad(f[.to] ?? "-", 14) + "  " + pad(duration(f[.duration]), 6, right: true) + "  " + pad(f[.source] ?? "-", 10) + "  "
            + clean(f[.mid] ?? "-")
    }

    /// Seconds as m:ss; anything that is not a whole number is shown as sent.
    static func duration(_ s: String?) -> String {
        guard let s, let v = Int(s), v >= 0 else { return s ?? "-" }
        let secs = v % 60
        return "\(v / 60):" + (secs < 10 ? "0" : "") + String(secs)
    }

    /// Control characters would move the cursor or recolour the terminal: show them as '?'.
    /// The same safe drawing as the dashboard's: controls as visible symbols, bidi overrides
    /// and other invisible formatting as U+FFFD, so nothing in a field acts on the terminal.
    static func clean(_ s: String) -> String {
        SafeText.displayed(s)
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let c = clean(s)
        let cut = c.count > width ? String(c.prefix(width - 1)) + "…" : c
        let fill = String(repeating: " ", count: max(0, width - cut.count))
        return right ? fill + cut : cut + fill
    }
}
