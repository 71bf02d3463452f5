import CallDashCore
import Dispatch
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// What every connection's handler shares: configuration, the recorder and the counters.
final class ReceiverContext: Sendable {
    let configuration: ReceiverConfiguration
    let recorder: Recorder
    let parser: DeliveryParser
    let metrics = ReceiverMetrics()
    let logger: Logger
    /// `Bearer <token>`, precomputed for the per-request comparison.
    let expectedAuthorization: String?
    /// Where pages of records are read back: off the event loops, one page at a time, so that
    /// many clients asking at once hold one page in the making, not one each.
    let slowWork = DispatchQueue(label: "calldash.api")
    /// Text searches, one at a time: however many are asked for, pages and ingest go on.
    let searchWork = DispatchQueue(label: "calldash.search")
    /// Statistics, one at a time, of a snapshot taken when each starts; at most
    /// `maxStatsWaiting` wait for it, so that asking in a loop neither queues scans nor pins
    /// old snapshots (their memory) while ingest evicts.
    let statsWork = DispatchQueue(label: "calldash.stats")
    let statsWaiting = Mutex(0)
    /// What full chunks add to the figures last asked for: a dashboard polling the same
    /// question reads only what arrived since.
    let statsCache = StatsCache()
    static let maxStatsWaiting = 2
    /// Stream backlogs of resuming clients, one at a time and at a low priority: a storm of
    /// reconnects takes at most one core from ingest, and yields it.
    let backlogWork = DispatchQueue(label: "calldash.backlog", qos: .utility)
    /// Open `/_calldash/stream` connections, at most `maxStreams`: each costs every delivery a
    /// queue append, so their number is bounded like everything else a peer controls.
    private let streams = Mutex(0)
    static let maxStreams = 128

    /// Takes a stream slot; false when all are in use.
    func openStream() -> Bool {
        streams.withLock { n in
            guard n < Self.maxStreams else { return false }
            n += 1
            return true
        }
    }

    func closeStream() { streams.withLock { $0 -= 1 } }

    /// Host names the API answers to without a token (see `hostProblem`), lower-cased.
    private let allowedHosts: Set<String>

    init(configuration: ReceiverConfiguration, recorder: Recorder, logger: Logger) {
        self.configuration = configuration
        self.recorder = recorder
        self.logger = logger
        parser = DeliveryParser(limits: configuration.limits, multipart: MultipartKitFieldDecoder(), webhooks: configuration.webhooks)
        expectedAuthorization = configuration.token.map { "Bearer \($0)" }
        allowedHosts = Set((["localhost", configuration.host] + configuration.allowedHosts).map { $0.lowercased() })
    }

    /// nil when an API request may be answered; otherwise why not. Without a token, the API
    /// answers only requests addressed to this machine by an address, `localhost`, the listen
    /// name or an `--allow-host` name, so a web page whose DNS name is rebound to 127.0.0.1
    /// cannot read the reports (the port is not compared: an SSH tunnel changes it).
    func hostProblem(_ headers: HTTPHeaders) -> String? {
        guard expectedAuthorization == nil else { return nil }
        let hosts = headers["host"]
        guard let host = hosts.first else { return nil }
        guard hosts.count == 1, !host.contains("@"), !host.contains("/") else {
            return "the API needs one Host header holding just a host name or address (and a port)"
        }
        let name = Self.hostName(host)
        if allowedHosts.contains(name) || Self.isAddress(name) { return nil }
        return "the API does not answer requests for host \(name) without --token (add --allow-host \(name) if it is yours)"
    }

    /// The name part of a Host header: no port, no brackets, lower-cased.
    static func hostName(_ host: String) -> String {
        var h = Substring(host.lowercased())
        if h.hasPrefix("["), let close = h.firstIndex(of: "]") { return String(h[h.index(after: h.startIndex)..<close]) }
        if let colon = h.lastIndex(of: ":") { h = h[..<colon] }
        return String(h)
    }

    /// An IPv4 or IPv6 literal: such a Host cannot come from a rebound DNS name.
    static func isAddress(_ name: String) -> Bool {
        if name.contains(":") {
            return name.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) || $0 == 0x3A || $0 == 0x2E
            }
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        // ASCII digits only: `isNumber` would also take other scripts' digits, which Int refuses.
        return parts.count == 4
            && parts.allSatisfy { p in
                (1...3).contains(p.utf8.count) && p.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int(p).map { $0 <= 255 } ?? false)
            }
    }

    /// nil when the request may pass; otherwise why not.
    func authorizationProblem(_ headers: HTTPHeaders) -> String? {
        guard let expected = expectedAuthorization else { return nil }
        let given = headers["authorization"]
        if given.isEmpty { return "missing bearer token (send Authorization: Bearer <token>)" }
        // One credential per request: many Authorization headers must not be many guesses.
        guard given.count == 1 else { return "more than one Authorization header" }
        return Self.constantTimeEquals(Self.credential(given[0]), expected) ? nil : "wrong bearer token"
    }

    /// "Bearer <token>" as HTTP reads it: the scheme in any case, spaces and tabs around ignored.
    static func credential(_ value: String) -> String {
        func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }
        let trimmed = Substring(value).drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        let text = String(trimmed)
        guard text.count > 7, text.prefix(6).lowercased() == "bearer", let gap = text.dropFirst(6).first, isSpace(gap) else { return text }
        return "Bearer " + text.dropFirst(6).drop(while: isSpace)
    }

    /// Compares without an early exit, so timing does not reveal how much of a token was right.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
