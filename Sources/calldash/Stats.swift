import ArgumentParser
import CallDashClient
import CallDashCore
import CallDashUI
import Foundation

/// `calldash stats`: the campaign figures, from a journal (no receiver needed) or from a
/// running receiver's `/_calldash/stats`.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Campaign figures (ASR, ACD, short calls, peak concurrency, breakdowns) from a journal or a running receiver.")

    @OptionGroup var source: SourceOptions

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Only deliveries received this long ago or later: 15m, 1h, 24h, 7d.", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("A breakdown by this field, hour, date or webhook; repeatable.", valueName: "field"))
    var by: [String] = []

    @Option(help: ArgumentHelp("Arrivals per bucket: 1m, 5m, 15m or 1h.", valueName: "bucket"))
    var series: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Answered calls shorter than this are short (default 6).", valueName: "seconds"))
    var short: String?

    @Option(
        parsing: .unconditional, help: ArgumentHelp("Breakdown values listed; the rest are summed as others (default 20).", valueName: "n"))
    var top: String?

    @Option(parsing: .unconditional, help: "With --journal: the most recent reports counted, as a receiver with --capacity holds them.")
    var capacity = 1_000_000

    @Flag(help: "Print the JSON object that /_calldash/stats answers.")
    var json = false

    @Flag(help: "Print one CSV row per breakdown value.")
    var csv = false

    /// The options as `/_calldash/stats` parameters, in the order given.
    var parameters: [(name: String, value: String)] {
        var p: [(String, String)] = []
        if let since { p.append(("since", since)) }
        p += by.map { ("by", $0) }
        if let series { p.append(("series", series)) }
        if let short { p.append(("short", short)) }
        if let top { p.append(("top", top)) }
        return p
    }

    func validate() throws {
        if json, csv { throw ValidationError("--json and --csv contradict each other") }
        guard capacity > 0 else { throw ValidationError("--capacity must be at least 1") }
        do throws(StatsQueryError) {
            _ = try StatsQuery(parameters: parameters)
        } catch {
            throw ValidationError("--\(error.description)")
        }
    }

    func run() async throws {
        let stats: CampaignStats
        if let from = source.from {
            let bytes: [UInt8]
            do throws(ReceiverQueryFailure) {
                bytes = try await ReceiverQuery.get(
                    from, path: "/_calldash/stats", query: parameters,
                    token: source.resolvedToken)
            } catch {
                if error.refusedQuery { throw ValidationError(error.description) }
                throw Failure(error.description)
            }
            if json { return Output.line(bytes.last == 0x0A ? Array(bytes.dropLast()) : bytes) }
            do throws(CampaignStats.DecodeFailure) {
                stats = try CampaignStats(json: bytes)
            } catch {
                throw Failure("\(from) answered something else than statistics: \(error.description)")
            }
        } else {
            let path = try source.journalPath()
            let store = ReportStore(capacity: capacity)
            do throws(JournalError) {
                _ = try JournalReplay.replay(path: path, into: store, readOnly: true) { Output.warn($0) }
            } catch {
                throw Failure(error.description)
            }
            do throws(StatsQueryError) {
                stats = try CampaignStats.compute(store.snapshot(), StatsQuery(parameters: parameters), now: .now())
            } catch {
                throw ValidationError("--\(error.description)") // a window and bucket that cannot go together
            }
            if json { return Output.line(stats.json()) }
        }
        if csv {
            Output.write(Array(stats.csv().utf8), fd: 1)
        } else {
            Output.write(Array(StatsTable.text(stats).utf8), fd: 1)
        }
    }
}

/// The readable form of the figures: a few lines of totals, then each breakdown as a table.
enum StatsTable {
    static func text(_ s: CampaignStats) -> String {
        let window =
            s.since.map { "the last \(CampaignStats.durationText($0))" } ?? "everything held"
        var out = "window      \(window)" + (s.from.map { " (\($0.iso8601) to \(s.to.iso8601))" } ?? "") + "\n"
        out += "calls       \(CallText.count(s.calls)), answered \(CallText.count(s.answered)) (ASR \(percent(s.asr)))\n"
        out +=
            "ACD         \(CallColumn.duration(seconds: s.acdSeconds)), talk time \(CallColumn.duration(String(s.talkSeconds)))\n"
        out += "short       \(CallText.count(s.short)) answered under \(s.shortThreshold) s (SDR \(percent(s.sdr)))\n"
        out += "peak        \(CallText.count(s.peakConcurrent)) calls at once\n"
        out += "duplicates  \(CallText.count(s.duplicates)) (provider retries, not counted), rejected \(CallText.count(s.rejected))\n"
        if s.unparseableTimes > 0 {
            out +=
                "times       \(CallText.count(s.unparseableTimes)) calls without a usable start_at/end_at (left out of peak, hour, date)\n"
        }
        out +=
            "statuses    "
            + (s.statuses.isEmpty
                ? "none"
                : s.statuses.map { "\($0.status.isEmpty ? "(none)" : $0.status) \(CallText.count($0.calls))" }.joined(separator: " · "))
            + "\n"
        out += "last report " + (s.lastReportAt.map(\.iso8601) ?? "none") + "\n"
        let names = s.statuses.prefix(8).map(\.status)
        for b in s.breakdowns {
            out += "\nby \(b.dimension)\n"
            var rows: [[String]] = [[b.dimension.description, "calls", "answered", "ASR", "ACD"] + names.map { $0.isEmpty ? "(none)" : $0 }]
            for (r, isOthers) in b.listed {
                let counts = Dictionary(r.statuses.map { ($0.status, $0.calls) }, uniquingKeysWith: +)
                let value =
                    isOthers ? "others (\(CallText.count(b.otherValues)) values)" : r.value
                rows.append(
                    [
                        value.isEmpty ? "(none)" : value, CallText.count(r.calls), CallText.count(r.answered), percent(r.asr),
                        CallColumn.duration(seconds: r.acdSeconds)
                    ]
                        + names.map { counts[$0].map(CallText.count) ?? (isOthers ? "" : "0") })
            }
            out += aligned(rows)
        }
        if let series = s.series {
            out += "\narrivals per \(series.bucket.rawValue)\n"
            out += aligned([["start", "calls"]] + series.points.map { [$0.start.iso8601, CallText.count($0.calls)] })
        }
        return out
    }

    /// One decimal always ("72.0%" beside "16.8%"), as the Campaign screen shows them.
    static func percent(_ r: Double) -> String {
        let text = CampaignStats.decimal(r * 100, places: 1)
        return (text.contains(".") ? text : text + ".0") + "%"
    }

    /// Columns padded to their widest cell: the first left-aligned, numbers right-aligned.
    static func aligned(_ rows: [[String]]) -> String {
        let cleaned = rows.map { $0.map(SafeText.displayed) }
        let widths = (0..<(cleaned.first?.count ?? 0)).map { c in cleaned.map { TextWidth.of($0[c]) }.max() ?? 0 }
        return cleaned.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - TextWidth.of(cell))
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
