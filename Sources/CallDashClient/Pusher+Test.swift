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
            let client = self.client
            let (status, reply) = try await within(seconds: max(1, timeout.nanoseconds / 1_000_000_000)) {
                let response = try await client.execute(request, timeout: timeout)
                var reply: [UInt8] = []
                for try await chunk in response.body where reply.count < 512 {
                    reply += chunk.readableBytesView.prefix(512 - reply.count)
                }
                return (Int(response.status.code), reply)
            }
            return SendVerdict(status: status, millis: millis(), reply: String(decoding: reply, as: UTF8.self))
        } catch let late as AnswerTimedOut {
            return SendVerdict(status: nil, millis: millis(), failure: late.description)
        } catch {
            return SendVerdict(status: nil, millis: millis(), failure: TransportFailure.describe(error, url: base ?? rendered.maskedURL))
        }
    }
}
