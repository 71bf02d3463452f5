import CallDashCore
import CallDashUI

/// One delivery as a line of the live tail (`--plain`): the dashboard's columns and values
/// (`CallColumn`), two spaces apart, drawn safe as the dashboard draws them.
enum TailLine {
    static let header = CallColumn.tail.map { pad($0.title, $0) }.joined(separator: "  ")

    static func format(_ r: DeliveryRecord, utcOffset: Int) -> String {
        let summary = ReportSummary(r, location: .inline([]))
        var cells: [String] = []
        for c in CallColumn.tail {
            switch c {
            case .receivedAt, .seq, .field(.status): cells.append(pad(c.shown(summary, utcOffset: utcOffset), c))
            default:
                // A rejected delivery has no fields: its answer and error take the rest of the line.
                if r.outcome == .rejected {
                    return (cells + ["\(r.responseCode) \(r.method) \(r.path): \(SafeText.displayed(r.error ?? ""))"]).joined(
                        separator: "  ")
                }
                let value = c.shown(summary, utcOffset: utcOffset)
                cells.append(
                    c == CallColumn.tail.last ? SafeText.displayed(value.isEmpty ? "-" : value) : pad(value.isEmpty ? "-" : value, c))
            }
        }
        return cells.joined(separator: "  ")
    }

    /// `s` made safe and fitted to the column's width (cut with "…", padded with spaces). A seq
    /// is never cut: a line is found again by it.
    static func pad(_ s: String, _ c: CallColumn) -> String {
        let text = SafeText.displayed(s)
        let width = c.width
        var (cut, used) = (text, TextWidth.of(text))
        if used > width, c != .seq {
            (cut, used) = ("", 0)
            for ch in text {
                let w = SafeText.width(ch)
                guard used + w <= width - 1 else { break }
                cut.append(ch)
                used += w
            }
            (cut, used) = (cut + "…", used + 1)
        }
        let fill = String(repeating: " ", count: max(0, width - used))
        return c.rightAligned ? fill + cut : cut + fill
    }
}
