import CallDashCore
import Logging
import NIOCore
import NIOHTTP1

/// What every connection's handler shares: configuration, the recorder and the counters.
final class ReceiverContext: Sendable {
    let configuration: ReceiverConfiguration
    let recorder: Recorder
    let parser: DeliveryParser
    let metrics = ReceiverMetrics()
    let logger: Logger
    /// `Bearer <token>`, precomputed for the per-request comparison.
    let expectedAuthorization: String?

    init(configuration: ReceiverConfiguration, recorder: Recorder, logger: Logger) {
        self.configuration = configuration
        self.recorder = recorder
        self.logger = logger
        parser = DeliveryParser(limits: configuration.limits, multipart: MultipartKitFieldDecoder(), webhooks: configuration.webhooks)
        expectedAuthorization = configuration.token.map { "Bearer \($0)" }
    }

    /// nil when the request may pass; otherwise why not.
    func authorizationProblem(_ headers: HTTPHeaders) -> String? {
        guard let expected = expectedAuthorization else { return nil }
        let given = headers["authorization"]
        if given.isEmpty { return "missing bearer token (send Authorization: Bearer <token>)" }
        return given.contains(where: { Self.constantTimeEquals($0, expected) }) ? nil : "wrong bearer token"
    }

    /// Compares without an early exit, so timing does not reveal how much of a token was right.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
