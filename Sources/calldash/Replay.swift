import ArgumentParser
import CallDashClient
import CallDashCore
import Foundation

/// `calldash replay`: sends stored deliveries again, exactly as they arrived, to the user's app.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send stored deliveries again, exactly as they arrived, to your app.",
        discussion:
            "Each keeps its method, headers (but hop-by-hop ones, Host and a masked Authorization) and raw body bytes, goes to --to's scheme, host and port with --to's path followed by its own path and query, and carries CallDash-Replay-Of: SEQ. Only HTTP 200 and 202 count as delivered; anything else is retried with a doubling backoff. Exits 0 only when every chosen delivery was delivered."
    )

    @Option(help: ArgumentHelp("Your app: http(s)://host:port[/path].", valueName: "url"))
    var to: String

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("The delivery with this seq; repeatable.", valueName: "seq"))
    var seq: [String] = []

    @Option(help: ArgumentHelp("Deliveries with this call status (any case); repeatable.", valueName: "status"))
    var status: [String] = []

    @Option(help: ArgumentHelp("Deliveries with this text anywhere in them (any case).", valueName: "text"))
    var q: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Deliveries after this seq.", valueName: "seq"))
    var after: String?

    @Flag(help: "Every stored delivery.")
    var all = false

    @Flag(
        help:
            "Only deliveries --forward-to did not get your app to take: given up on, left by a full forward queue, or waiting when calldash stopped (from a running receiver, also those between attempts)."
    )
    var notForwarded = false

    @OptionGroup var source: SourceOptions

    @Option(parsing: .unconditional, help: "At most this many deliveries (the oldest chosen first).")
    var limit: Int?

    @Option(help: ArgumentHelp("Add (or replace) a header on every request; repeatable.", valueName: "Name: value"))
    var header: [String] = []

    @Option(parsing: .unconditional, help: "Tries per delivery.")
    var attempts = 3

    @Option(parsing: .unconditional, help: "Deliveries per second (default: one after the other, as fast as the app answers).")
    var rate: Double?

    @Flag(help: "Also send deliveries whose body was cut when they arrived (too large, or without the token): what was kept.")
    var allowTruncated = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(
        parsing: .unconditional, help: "With --journal: the most recent deliveries looked at, as a receiver with --capacity holds them.")
    var capacity = 1_000_000

    func validate() throws {
        if let problem = RenderedRequest.urlProblem(to) {
            throw ValidationError("--to must be an http:// or https:// URL, got '\(to)': \(problem)")
        }
        if to.contains("?") || to.contains("#") {
            throw ValidationError("--to takes no query or fragment: each delivery's own query is sent")
        }
        for s in seq where UInt64(s) == nil { throw ValidationError("--seq must be a seq (a whole number), got '\(s)'") }
        if let after, UInt64(after) == nil { throw ValidationError("--after must be a seq (a whole number), got '\(after)'") }
        let filtered = !status.isEmpty || q != nil || after != nil || notForwarded
        if !seq.isEmpty, filtered || all {
            throw ValidationError(
                "--seq picks deliveries one by one; --status, --q, --after, --not-forwarded and --all choose them by filter")
        }
        if all, filtered {
            throw ValidationError("--all takes every delivery; leave it out to filter with --status, --q, --after or --not-forwarded")
        }
        if seq.isEmpty, !filtered, !all {
            throw ValidationError("say which deliveries: --seq N, --status S, --q TEXT, --after SEQ, --not-forwarded or --all")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be more than 0") }
        guard capacity > 0 else { throw ValidationError("--capacity must be at least 1") }
        _ = try headers()
    }

    /// `--header` values as name and value.
    func headers() throws -> [NameValue] {
        try header.map { h in
            guard let colon = h.firstIndex(of: ":"), Resend.isToken(String(h[..<colon])),
                !h[h.index(after: colon)...].utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F })
            else { throw ValidationError("--header must be 'Name: value' on one line, got '\(h.debugDescription.dropFirst().dropLast())'") }
            return NameValue(String(h[..<colon]), h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// What was asked for, in words, for "nothing matches".
    var selection: String {
        if !seq.isEmpty { return "--seq " + seq.joined(separator: " ") }
        if all { return "--all" }
        return
            (status.map { "--status \($0)" } + (q.map { ["--q \($0)"] } ?? []) + (after.map { ["--after \($0)"] } ?? [])
            + (notForwarded ? ["--not-forwarded"] : [])).joined(separator: " ")
    }

    func run() async throws {
        let extra = try headers()
        var totals = PushSummary()
        var chosen = 0
        var unsent = 0 // no such delivery, or one that cannot be sent as a request
        var cut = SkippedSeqs()
        var headersOnly = SkippedSeqs()
        var toldMasked = false
        let pusher = Pusher()
        do {
            // A batch at a time: a replay of a million deliveries holds a thousand of them.
            try await forEachBatch { records, absent in
                chosen += records.count + absent.count
                unsent += absent.count
                for m in absent { Output.line("seq \(m.seq): not sent: \(m.reason)", fd: 2) }
                var requests: [RenderedRequest] = []
                var seqs: [UInt64] = []
                for r in records {
                    guard let resend = Resend(r, to: to, replayOf: r.seq, extra: extra) else { throw Failure("--to is not an http(s) URL") }
                    if let why = resend.unsendable {
                        Output.line("seq \(r.seq): not sent: \(why)", fd: 2)
                        unsent += 1
                        continue
                    }
                    switch resend.kept {
                    case .whole: break
                    case .firstPart where !allowTruncated:
                        cut.add(r.seq)
                        continue
                    case .firstPart: break
                    case .nothing:
                        headersOnly.add(r.seq)
                        continue
                    }
                    if resend.maskedAuthorizationLeftOut, !toldMasked {
                        toldMasked = true
                        Output.line(
                            "calldash: the deliveries' Authorization was masked when they were recorded, so none is sent; add one with --header 'Authorization: …'",
                            fd: 2)
                    }
                    requests.append(resend.request)
                    seqs.append(r.seq)
                }
                guard !requests.isEmpty else { return }
                let plan = PushPlan(url: to, count: requests.count, rate: rate, attempts: attempts, concurrency: 1)
                let summary = await pusher.push(plan, source: .requests(requests)) { [json, seqs] d in
                    guard !json, !d.delivered else { return }
                    Output.line(
                        d.attempts == 0
                            ? "seq \(seqs[d.index]): not sent: \(d.lastAnswer)"
                            : "seq \(seqs[d.index]): not delivered after \(d.attempts) attempt(s), last answer \(d.lastAnswer)", fd: 2)
                }
                totals.add(summary)
            }
        } catch {
            await pusher.shutdown()
            throw error
        }
        await pusher.shutdown()
        guard chosen > 0 else { throw Failure("no stored delivery matches \(selection)") }
        // One line for each kind of delivery left out, however many there are.
        if cut.count > 0 {
            Output.line(
                "\(cut): not sent: the body was over the size limit and only its first 64 KiB were kept; --allow-truncated sends that part",
                fd: 2)
        }
        if headersOnly.count > 0 {
            Output.line("\(headersOnly): not sent: it came without the token, so only its headers and size were kept", fd: 2)
        }
        totals.notSent += unsent + cut.count + headersOnly.count
        guard totals.sent > 0 else { throw ExitCode(1) } // nothing was sent: the lines above say why
        Output.line(json ? totals.json : totals.text)
        if totals.failed > 0 || totals.notSent > 0 { throw ExitCode(1) }
    }

    /// Seqs left out for one reason: the first few, how many, and the last.
    struct SkippedSeqs: CustomStringConvertible {
        var first: [UInt64] = []
        var count = 0
        var last: UInt64 = 0

        mutating func add(_ seq: UInt64) {
            if first.count < 5 { first.append(seq) }
            count += 1
            last = seq
        }

        /// "seq 4", "seqs 1, 2, 5", "57 deliveries (seq 1 to 60)".
        var description: String {
            if count == 1 { return "seq \(last)" }
            if count <= 5 { return "seqs " + first.map(String.init).joined(separator: ", ") }
            return "\(count) deliveries (seq \(first[0]) to \(last))"
        }
    }

    /// The chosen records, oldest first, a batch at a time, with the asked-for seqs that have none.
    private func forEachBatch(_ body: ([DeliveryRecord], [(seq: UInt64, reason: String)]) async throws -> Void) async throws {
        let seqs = Array(seq.compactMap(UInt64.init).prefix(limit ?? .max))
        let cap = limit ?? .max
        // --not-forwarded: an accepted delivery whose last forward attempt was not taken (a
        // delivery never forwarded has no `forward`, and is not chosen).
        let keep: (DeliveryRecord) -> Bool = { [notForwarded] r in !notForwarded || r.forward.map { !$0.delivered } == true }
        if let from = source.from {
            let token = source.resolvedToken
            do {
                for group in stride(from: 0, to: seqs.count, by: 100) {
                    let found = try await RemoteRecords.bySeq(from, token: token, seqs: Array(seqs[group..<min(group + 100, seqs.count)]))
                    try await body(found.records, found.missing)
                }
                guard seqs.isEmpty else { return }
                let unreadable = try await RemoteRecords.forEachPage(
                    from, token: token, statuses: status, text: q, after: after.flatMap(UInt64.init) ?? 0, limit: cap, keep: keep
                ) { try await body($0, []) }
                if unreadable > 0 { Output.warn("\(unreadable) records in \(from)'s answer could not be read, and are left out") }
            } catch let error as ReceiverQueryFailure {
                if error.refusedQuery { throw ValidationError(error.description) }
                throw Failure(error.description)
            }
            return
        }
        let records = try JournalRecords(path: try source.journalPath(), capacity: capacity)
        for group in stride(from: 0, to: seqs.count, by: 100) {
            var found: [DeliveryRecord] = []
            var missing: [(UInt64, String)] = []
            for s in seqs[group..<min(group + 100, seqs.count)] {
                switch records.record(seq: s) {
                case .success(let r): found.append(r)
                case .failure(let why): missing.append((s, why.description))
                }
            }
            try await body(found, missing)
        }
        guard seqs.isEmpty else { return }
        try await records.forEachBatch(
            ReportQuery(statuses: Set(status), text: q), after: after.flatMap(UInt64.init) ?? 0, limit: cap, keep: keep
        ) { try await body($0, []) }
    }
}
