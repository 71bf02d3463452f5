import AsyncHTTPClient
import CallDashCore
import NIOCore

extension Pusher {
    /// Sends a rendered request once (no retries), to its own URL or to `base`'s scheme, host
    /// and port, and never takes longer than `timeout` plus the connect limit.
    public func sendOnce(_ rendered: RenderedRequest, to base: String? = nil, timeout: TimeAmount = .seconds(10)) async -> SendVerdict {
        let start = ContinuousClock.now
        func millis() -> Int { Int((ContinuousClock.now - start) / .milliseconds(1)) }
        let request: HTTPClientRequest
        do { request = try rendered.clientRequest(to: base) } catch {
            return SendVerdict(status: nil, millis: 0, failure: error.description)
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            var reply: [UInt8] = []
            for try await chunk in response.body where reply.count < 512 {
                reply += chunk.readableBytesView.prefix(512 - reply.count)
            }
            return SendVerdict(status: Int(response.status.code), millis: millis(), reply: String(decoding: reply, as: UTF8.self))
        } catch {
            return SendVerdict(status: nil, millis: millis(), failure: TransportFailure.describe(error, url: base ?? rendered.maskedURL))
        }
    }
}
