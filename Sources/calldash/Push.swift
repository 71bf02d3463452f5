import ArgumentParser
import CallDashClient
import CallDashCore
import Foundation

/// `calldash push`: plays the provider against a URL.
struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send synthetic or given call reports to a URL, as the provider would.",
        discussion:
            "Only HTTP 200 and 202 count as delivered; anything else is retried with a doubling backoff. Exits 0 only when every report was delivered."
    )

    @Option(help: ArgumentHelp("Where to send the reports.", valueName: "url"))
    var to: String

    @Option(
        help: ArgumentHelp(
            "Reports to send: a JSON object, an array of objects, or JSON Lines (default: synthetic calls).", valueName: "file"))
    var report: String?

    @Option(
        parsing: .unconditional, help: "How many reports (default: 1 synthetic, or every report in --report; a file is cycled if fewer).")
    var count: Int?

    @Option(parsing: .unconditional, help: "Reports per second (default: as fast as --concurrency allows).")
    var rate: Double?

    @Option(parsing: .unconditional, help: "Tries per report.")
    var attempts = 3

    @Option(parsing: .unconditional, help: "Reports in flight at once.")
    var concurrency = 16

    @Option(parsing: .unconditional, help: "Seed for synthetic reports (default: random).")
    var seed: UInt64?

    @Option(
        help: ArgumentHelp(
            "Send each report as this compose webhook renders it (its id, or a .json file); --to then gives scheme, host and port.",
            valueName: "id|file"))
    var webhook: String?

    @OptionGroup var folder: WebhooksOption

    @Flag(
        help:
            "Synthetic reports shaped like a campaign: four flows that answer very differently, three bridges, 4% provider retries, office hours."
    )
    var campaign = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Print nothing but the summary.")
    var quiet = false

    func validate() throws {
        if campaign, report != nil { throw ValidationError("--campaign shapes synthetic reports; --report sends given ones") }
        if let problem = RenderedRequest.urlProblem(to) {
            throw ValidationError("--to must be an http:// or https:// URL, got '\(to)': \(problem)")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be more than 0") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        var source = ReportSource.synthetic(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        var total = count ?? 1
        if let report {
            guard let data = FileManager.default.contents(atPath: report) else {
                throw Failure("cannot read report file \(report)")
            }
            let bodies = try ReportFile.reports(in: Array(data), name: report)
            source = .given(bodies)
            total = count ?? bodies.count
        }
        var plan = PushPlan(url: to, count: total, rate: rate, attempts: attempts, concurrency: concurrency)
        plan.campaignShape = campaign
        if let webhook {
            do {
                plan.webhook = try CompiledWebhook(folder.load(webhook))
            } catch let error as TemplateError {
                throw Failure(error.description)
            }
            plan.secrets = .process
            // A secret it needs is not set: say so once, before anything is sent.
            if let rendered = try? plan.webhook?.render(.sample, secrets: .process), let why = rendered.unsendable {
                throw Failure("--webhook \(webhook): nothing sent: \(why)")
            }
        }
        let pusher = Pusher()
        let verbose = !quiet && !json
        let summary = await pusher.push(plan, source: source) { d in
            guard verbose, !d.delivered else { return }
            // No attempt means the report never became a request (it could not be read or rendered).
            Output.line(
                d.attempts == 0
                    ? "report \(d.index + 1): not sent: \(d.lastAnswer)"
                    : "report \(d.index + 1): not delivered after \(d.attempts) attempt(s), last answer \(d.lastAnswer)", fd: 2)
        }
        await pusher.shutdown()
        Output.line(json ? summary.json : summary.text)
        if summary.failed > 0 || summary.notSent > 0 { throw ExitCode(1) }
    }
}
