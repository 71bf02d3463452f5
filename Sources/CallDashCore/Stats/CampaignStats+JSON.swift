/// The JSON and CSV forms of campaign statistics: what `/_calldash/stats` answers and what
/// `calldash stats --json` / `--csv` print.
extension CampaignStats {
    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 1024 + breakdowns.reduce(0) { $0 + $1.rows.count * 160 } + (series?.points.count ?? 0) * 96)
        w.raw("{\"window\":{\"since\":")
        if let since { w.string(Self.durationText(since)) } else { w.raw("null") }
        w.raw(",\"from\":")
        time(from, &w)
        w.raw(",\"to\":")
        time(to, &w)
        w.raw("},\"calls\":")
        w.int(calls)
        w.raw(",\"answered\":")
        w.int(answered)
        w.raw(",\"asr\":")
        w.raw(Self.decimal(asr, places: 4))
        w.raw(",\"acd_s\":")
        w.raw(Self.decimal(acdSeconds, places: 2))
        w.raw(",\"talk_s\":")
        w.int(talkSeconds)
        w.raw(",\"short_threshold_s\":")
        w.int(shortThreshold)
        w.raw(",\"short\":")
        w.int(short)
        w.raw(",\"sdr\":")
        w.raw(Self.decimal(sdr, places: 4))
        w.raw(",\"peak_concurrent\":")
        w.int(peakConcurrent)
        w.raw(",\"duplicates\":")
        w.int(duplicates)
        w.raw(",\"rejected\":")
        w.int(rejected)
        w.raw(",\"unparseable_times\":")
        w.int(unparseableTimes)
        w.raw(",\"statuses\":")
        Self.write(statuses, &w)
        w.raw(",\"last_report_at\":")
        time(lastReportAt, &w)
        w.raw(",\"by\":{")
        for (n, b) in breakdowns.enumerated() {
            if n > 0 { w.raw(",") }
            w.key(b.dimension.description)
            w.raw("[")
            for (k, row) in b.rows.enumerated() {
                if k > 0 { w.raw(",") }
                Self.write(row, &w)
            }
            w.raw("]")
        }
        w.raw("},\"others\":{")
        for (n, b) in breakdowns.enumerated() {
            if n > 0 { w.raw(",") }
            w.key(b.dimension.description)
            let rest = b.others
            w.raw("{\"values\":")
            w.int(b.otherValues)
            w.raw(",\"calls\":")
            w.int(rest?.calls ?? 0)
            w.raw(",\"answered\":")
            w.int(rest?.answered ?? 0)
            w.raw(",\"asr\":")
            w.raw(Self.decimal(rest?.asr ?? 0, places: 4))
            w.raw(",\"acd_s\":")
            w.raw(Self.decimal(rest?.acdSeconds ?? 0, places: 2))
            w.raw(b.moreValues ? ",\"more\":true}" : ",\"more\":false}")
        }
        w.raw("},\"series\":")
        if let series {
            w.raw("{\"bucket\":")
            w.string(series.bucket.rawValue)
            w.raw(",\"points\":[")
            for (n, p) in series.points.enumerated() {
                if n > 0 { w.raw(",") }
                w.raw("{\"start\":\"")
                p.start.write(to: &w)
                w.raw("\",\"calls\":")
                w.int(p.calls)
                w.raw(",\"statuses\":")
                Self.write(p.statuses, &w)
                w.raw("}")
            }
            w.raw("]}")
        } else {
            w.raw("null")
        }
        w.raw("}")
        return w.bytes
    }

    /// A first row for all calls (by "all"), then one per breakdown value (and its "others"):
    /// by, value, calls, answered, asr, acd_s, then one column per status seen in the window.
    public func csv() -> String {
        let names = statuses.map(\.status)
        var out = (["by", "value", "calls", "answered", "asr", "acd_s"] + names).map(CSVExport.quoted).joined(separator: ",") + "\r\n"
        let all = StatsRow(value: "", calls: calls, answered: answered, asr: asr, acdSeconds: acdSeconds, statuses: statuses)
        for (by, rows) in [("all", [all])] + breakdowns.map({ b in (b.dimension.description, b.listed.map(\.row)) }) {
            for row in rows {
                let counts = Dictionary(row.statuses.map { ($0.status, $0.calls) }, uniquingKeysWith: +)
                let cells =
                    [
                        by, row.value, "\(row.calls)", "\(row.answered)", Self.decimal(row.asr, places: 4),
                        Self.decimal(row.acdSeconds, places: 2)
                    ]
                    + names.map { "\(counts[$0] ?? 0)" }
                out += cells.map(CSVExport.quoted).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    private func time(_ t: Timestamp?, _ w: inout JSONWriter) {
        guard let t else { return w.raw("null") }
        w.raw("\"")
        t.write(to: &w)
        w.raw("\"")
    }

    private static func write(_ counts: [StatusCount], _ w: inout JSONWriter) {
        w.raw("{")
        for (n, c) in counts.enumerated() {
            if n > 0 { w.raw(",") }
            w.key(c.status)
            w.int(c.calls)
        }
        w.raw("}")
    }

    private static func write(_ row: StatsRow, _ w: inout JSONWriter) {
        w.raw("{\"value\":")
        w.string(row.value)
        w.raw(",\"calls\":")
        w.int(row.calls)
        w.raw(",\"answered\":")
        w.int(row.answered)
        w.raw(",\"asr\":")
        w.raw(decimal(row.asr, places: 4))
        w.raw(",\"acd_s\":")
        w.raw(decimal(row.acdSeconds, places: 2))
        w.raw(",\"statuses\":")
        write(row.statuses, &w)
        w.raw("}")
    }

    /// `v` rounded to `places` decimals, without trailing zeros ("0.6667", "1", "30.5").
    public static func decimal(_ v: Double, places: Int) -> String {
        guard v.isFinite else { return "0" }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        guard abs(v) * Double(scale) < 9e18 else { return v.description } // "1e+20": still a JSON number
        let n = Int64((abs(v) * Double(scale)).rounded())
        var fraction = String(n % scale)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (v < 0 && n > 0 ? "-" : "") + "\(n / scale)" + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// "15m", "1h", "7d": the largest unit that divides `seconds`.
    public static func durationText(_ seconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds % size == 0 { return "\(seconds / size)\(unit)" }
        return "\(seconds)s"
    }
}
