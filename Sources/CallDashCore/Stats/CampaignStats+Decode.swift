import Foundation

/// Campaign statistics read back from their JSON form: what a running receiver's
/// `/_calldash/stats` answered, so that `calldash stats --from` prints it as `--journal` does.
extension CampaignStats {
    public struct DecodeFailure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(json bytes: [UInt8]) throws(DecodeFailure) {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any], let window = o["window"] as? [String: Any]
        else { throw DecodeFailure(description: "the answer is not a statistics object") }
        func time(_ v: Any?) -> Timestamp? { (v as? String).flatMap { Timestamp(iso8601: $0) } }
        func int(_ v: Any?) -> Int { (v as? NSNumber)?.intValue ?? 0 }
        func double(_ v: Any?) -> Double { (v as? NSNumber)?.doubleValue ?? 0 }
        func counts(_ v: Any?) -> [StatusCount] {
            ((v as? [String: Any]) ?? [:]).map { StatusCount(status: $0.key, calls: int($0.value)) }
                .sorted { $0.calls != $1.calls ? $0.calls > $1.calls : $0.status < $1.status }
        }
        guard let to = time(window["to"]) else { throw DecodeFailure(description: "the answer has no window end") }
        self.init(since: (window["since"] as? String).flatMap(StatsQuery.duration), from: time(window["from"]), to: to)
        calls = int(o["calls"])
        answered = int(o["answered"])
        // Ratios from the counts, not the rounded ratios of the JSON: rounded twice, 1.449% would print as 1.5%.
        asr = Self.ratio(answered, calls)
        acdSeconds = double(o["acd_s"])
        talkSeconds = int(o["talk_s"])
        shortThreshold = int(o["short_threshold_s"])
        short = int(o["short"])
        sdr = Self.ratio(short, int(o["answered"]))
        peakConcurrent = int(o["peak_concurrent"])
        duplicates = int(o["duplicates"])
        rejected = int(o["rejected"])
        unparseableTimes = int(o["unparseable_times"])
        statuses = counts(o["statuses"])
        lastReportAt = time(o["last_report_at"])
        let others = o["others"] as? [String: Any] ?? [:]
        for (name, value) in (o["by"] as? [String: Any]) ?? [:] {
            guard let dimension = StatsDimension(name: name), let rows = value as? [[String: Any]] else { continue }
            let parsed = rows.map { r in
                StatsRow(
                    value: r["value"] as? String ?? "", calls: int(r["calls"]), answered: int(r["answered"]),
                    asr: Self.ratio(int(r["answered"]), int(r["calls"])),
                    acdSeconds: double(r["acd_s"]), statuses: counts(r["statuses"]))
            }
            let rest = others[name] as? [String: Any] ?? [:]
            let restValues = int(rest["values"])
            breakdowns.append(
                StatsBreakdown(
                    dimension: dimension, rows: parsed,
                    others: restValues > 0
                        ? StatsRow(
                            value: "others", calls: int(rest["calls"]), answered: int(rest["answered"]),
                            asr: Self.ratio(int(rest["answered"]), int(rest["calls"])),
                            acdSeconds: double(rest["acd_s"]), statuses: []) : nil,
                    distinctValues: parsed.count + restValues))
        }
        breakdowns.sort { a, b in
            (StatsDimension.all.firstIndex(of: a.dimension) ?? 0) < (StatsDimension.all.firstIndex(of: b.dimension) ?? 0)
        }
        if let s = o["series"] as? [String: Any], let bucket = (s["bucket"] as? String).flatMap(SeriesBucket.init(rawValue:)) {
            let points = (s["points"] as? [[String: Any]] ?? []).compactMap { p in
                time(p["start"]).map { StatsSeries.Point(start: $0, calls: int(p["calls"]), statuses: counts(p["statuses"])) }
            }
            series = StatsSeries(bucket: bucket, points: points)
        }
    }
}
