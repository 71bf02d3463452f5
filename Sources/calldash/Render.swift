import ArgumentParser
import CallDashCore
import Foundation

/// `calldash render`: prints the exact request a compose webhook sends for a call.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the exact request a compose webhook sends for a call (raw HTTP/1.1, or --curl).")

    @Option(help: ArgumentHelp("The webhook: its id in the webhooks folder, or a .json file.", valueName: "id|file"))
    var webhook: String

    @Option(help: ArgumentHelp("The call to render for: a report as JSON (default: a sample call).", valueName: "file"))
    var report: String?

    @OptionGroup var folder: WebhooksOption

    @Flag(help: "Print a curl command instead of raw HTTP.")
    var curl = false

    @Flag(help: "Print secrets as they are sent instead of masked.")
    var reveal = false

    func run() throws {
        let hook = try folder.load(webhook)
        let values = try callValues()
        let request: RenderedRequest
        do {
            request = try hook.render(values, secrets: .process)
        } catch {
            throw Failure(error.description)
        }
        if reveal, let why = request.unsendable { throw Failure("--reveal: \(why)") } // nothing printable to run
        if curl {
            Output.line(request.curl(reveal: reveal))
        } else {
            guard let http = request.http(reveal: reveal) else {
                throw Failure("url: \"\(request.maskedURL)\" is not an absolute http:// or https:// URL")
            }
            Output.write(http, fd: 1)
        }
        if let why = request.unsendable {
            // Masked output is still useful; revealing what is not set is not possible.
            Output.line("calldash render: \(why) (shown as a placeholder)", fd: 2)
        }
    }

    /// The call's values: the report file parsed as the receiver parses a delivery, or the sample.
    private func callValues() throws -> TemplateValues {
        guard let report else { return TemplateValues.sample }
        guard let bytes = FileManager.default.contents(atPath: report) else { throw Failure("cannot read the report file \(report)") }
        do {
            return try TemplateValues(report: Array(bytes))
        } catch {
            throw Failure("\(report): \(error.reason)")
        }
    }
}
