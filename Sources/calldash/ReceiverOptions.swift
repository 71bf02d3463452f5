import ArgumentParser
import CallDashCore
import CallDashReceiver
import Foundation
import NIOCore

/// Options shared by every command that runs the receiver.
struct ReceiverOptions: ParsableArguments {
    /// What an option not given stands for (its help says so).
    enum Default {
        static let host = "127.0.0.1"
        static let port = 8080
        static let respond = 200
        static let maxBody = 1 << 20
        static let idleTimeout = 60
        static let requestTimeout = 30
        static let forwardAttempts = 3
        static let forwardTimeout = 10
    }

    // Options with a default are optionals behind a computed value: `watch --remote` refuses
    // the ones for a receiver here when given at all, also with their default's value.
    @Option(name: .customLong("host"), help: "Address to listen on (default: \(Default.host)).")
    var hostGiven: String?
    var host: String { hostGiven ?? Default.host }

    @Option(
        name: .customLong("port"), parsing: .unconditional,
        help: "Port to listen on; 0 picks a free one and prints it (default: \(Default.port)).")
    var portGiven: Int?
    var port: Int { portGiven ?? Default.port }

    @Option(help: ArgumentHelp("Journal file (JSON Lines).", valueName: "path"))
    var journal: String?

    @Flag(help: "Keep deliveries in memory only.")
    var noJournal = false

    @Flag(help: "fsync the journal before each reply (group commit), to survive power loss.")
    var fsync = false

    @Option(parsing: .unconditional, help: "Most reports kept in memory; the oldest leave first (the journal keeps all).")
    var capacity = 1_000_000

    @Option(
        name: .customLong("respond"), parsing: .unconditional,
        help: "HTTP status answered to accepted deliveries (default: \(Default.respond)).")
    var respondGiven: Int?
    var respond: Int { respondGiven ?? Default.respond }

    @Option(
        help: ArgumentHelp(
            "Require 'Authorization: Bearer <secret>' on every path but /_calldash/health; with watch --remote, the remote receiver's token (visible in ps: prefer --token-file or CALLDASH_TOKEN).",
            valueName: "secret"))
    var token: String?

    @Option(help: ArgumentHelp("Read the token from this file (its first line).", valueName: "path"))
    var tokenFile: String?

    @Option(
        help: ArgumentHelp(
            "A host name (besides the listen address and localhost) that the API answers without a token; repeatable.", valueName: "name"))
    var allowHost: [String] = []

    @Option(
        name: .customLong("max-body"), parsing: .unconditional,
        help: ArgumentHelp("Largest body accepted, in bytes (default: \(Default.maxBody)).", valueName: "bytes"))
    var maxBodyGiven: Int?
    var maxBody: Int { maxBodyGiven ?? Default.maxBody }

    @Option(
        name: .customLong("idle-timeout"), parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds a connection may stay silent before it is closed (default: \(Default.idleTimeout)).", valueName: "seconds"))
    var idleTimeoutGiven: Int?
    var idleTimeout: Int { idleTimeoutGiven ?? Default.idleTimeout }

    @Option(
        name: .customLong("request-timeout"), parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds a request may take to arrive whole before it is answered 408 (default: \(Default.requestTimeout)).",
            valueName: "seconds"))
    var requestTimeoutGiven: Int?
    var requestTimeout: Int { requestTimeoutGiven ?? Default.requestTimeout }

    /// Payloads the folder's webhooks produce are mapped back to the standard fields.
    @OptionGroup var webhooks: WebhooksOption

    @Option(parsing: .unconditional, help: "Event-loop threads (default: one per core; watch leaves one core to the dashboard).")
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Send every accepted delivery on to your app at this URL (its path followed by the delivery's), in the background.",
            valueName: "url"))
    var forwardTo: String?

    @Flag(
        help:
            "With --forward-to: wait for your app (one attempt, at most --forward-timeout) and give the provider its status, content type and body; no answer is a 502."
    )
    var forwardReply = false

    @Option(
        name: .customLong("forward-attempts"), parsing: .unconditional,
        help: ArgumentHelp(
            "Attempts per forwarded delivery (the backoff doubles from 0.5 s; default: \(Default.forwardAttempts)).", valueName: "n"))
    var forwardAttemptsGiven: Int?
    var forwardAttempts: Int { forwardAttemptsGiven ?? Default.forwardAttempts }

    @Option(
        name: .customLong("forward-timeout"), parsing: .unconditional,
        help: ArgumentHelp("Seconds one forward attempt may take (default: \(Default.forwardTimeout)).", valueName: "seconds"))
    var forwardTimeoutGiven: Int?
    var forwardTimeout: Int { forwardTimeoutGiven ?? Default.forwardTimeout }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (200...599).contains(respond) else { throw ValidationError("--respond must be an HTTP status from 200 to 599") }
        guard capacity > 0 else { throw ValidationError("--capacity must be at least 1") }
        guard maxBody > 0 else { throw ValidationError("--max-body must be at least 1 byte") }
        guard idleTimeout > 0, requestTimeout > 0 else { throw ValidationError("timeouts must be at least 1 second") }
        if token != nil, tokenFile != nil { throw ValidationError("--token and --token-file contradict each other") }
        if let token = try resolvedToken(), token.isEmpty || token.contains(where: { $0.isWhitespace }) {
            throw ValidationError("the token must be non-empty and without spaces")
        }
        if noJournal, journal != nil { throw ValidationError("--journal and --no-journal contradict each other") }
        if let journal {
            // A folder named by hand is made only one level deep: a typo must not create a tree
            // of folders at the root of the file system (the default journal's are all made).
            let folder = (journal as NSString).deletingLastPathComponent
            let parent = (folder as NSString).deletingLastPathComponent
            if !folder.isEmpty, !parent.isEmpty, !FileManager.default.fileExists(atPath: folder),
                !FileManager.default.fileExists(atPath: parent)
            {
                throw ValidationError("--journal: the folder \(parent) does not exist (create it first)")
            }
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let forwardTo {
            if let problem = RenderedRequest.urlProblem(forwardTo) { throw ValidationError("--forward-to \(forwardTo): \(problem)") }
            let authority = RenderedRequest.target(of: forwardTo)?.authority ?? ""
            if authority.contains("@") {
                throw ValidationError("--forward-to \(forwardTo): a user or password in the URL would be shown and journaled; leave it out")
            }
            if forwardTo.contains("?") || forwardTo.contains("#") {
                throw ValidationError("--forward-to \(forwardTo): takes no query or fragment (each delivery's own query is sent)")
            }
        } else if forwardReply || forwardAttemptsGiven != nil || forwardTimeoutGiven != nil {
            throw ValidationError("--forward-reply, --forward-attempts and --forward-timeout need --forward-to")
        }
        guard (1...20).contains(forwardAttempts) else { throw ValidationError("--forward-attempts must be from 1 to 20") }
        guard (1...600).contains(forwardTimeout) else { throw ValidationError("--forward-timeout must be from 1 to 600 seconds") }
    }

    /// The token from --token, --token-file or CALLDASH_TOKEN, in that order.
    func resolvedToken() throws -> String? {
        if let token { return token }
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("--token-file: cannot read \(tokenFile)")
            }
            return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        return ProcessInfo.processInfo.environment["CALLDASH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var journalPath: String? { noJournal ? nil : (journal ?? Paths.defaultJournal) }

    /// Where this machine reaches the receiver (a wildcard address means loopback).
    func localURL(port: Int) -> String {
        "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
    }

    /// The receiver's settings. Without `--threads` it takes every core, or all but one when
    /// `sparingACore`: the dashboard's UI thread then keeps answering keys within a frame while
    /// the receiver is saturated (measured in scripts/bench-ui).
    /// `token` is `resolvedToken()`, read once by the caller (a file read twice could differ).
    func configuration(
        sparingACore: Bool = false, webhooks registry: WebhookRegistry? = nil, token: String?, demoRecordings: Bool = false
    ) -> ReceiverConfiguration {
        var c = ReceiverConfiguration(
            host: host, port: port, respondCode: respond, token: token,
            limits: DeliveryLimits(maxBodyBytes: maxBody), idleTimeout: .seconds(Int64(idleTimeout)),
            requestTimeout: .seconds(Int64(requestTimeout)),
            threads: threads ?? max(1, UsableCores.count - (sparingACore ? 1 : 0)), webhooks: registry, allowedHosts: allowHost)
        c.demoRecordings = demoRecordings
        return c
    }
}
