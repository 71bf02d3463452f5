import AsyncHTTPClient
import CallDashCore
import Foundation
import NIOCore
import NIOHTTP1

/// Plays the provider: POSTs reports with retries and the 200/202 rule.
public final class Pusher: Sendable {
    let client: HTTPClient

    public init() {
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Clients.configuration())
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Outcome of one report after all its attempts.
    public struct Delivery: Sendable {
        public var index: Int
        public var delivered: Bool
        public var attempts: Int
        /// The last answer: an HTTP status code, or a transport error's text.
        public var lastAnswer: String
    }

    /// Sends the plan's reports; `progress` hears about each report once it is settled.
    public func push(_ plan: PushPlan, source: ReportSource, progress: @escaping @Sendable (Delivery) -> Void = { _ in }) async
        -> PushSummary
    {
        var generator: SyntheticReports?
        if case .synthetic(let seed) = source {
            generator =
                plan.recordings.map { SyntheticReports(seed: seed, recordings: $0, campaignShape: plan.campaignShape) }
                ?? SyntheticReports(seed: seed, campaignShape: plan.campaignShape)
        }
        var summary = PushSummary()
        let start = ContinuousClock.now
        await withTaskGroup(of: Delivery.self) { group in
            var index = 0
            var inFlight = 0
            func settle(_ d: Delivery) {
                inFlight -= 1
                summary.attempts += d.attempts
                if d.attempts == 0 {
                    summary.notSent += 1
                    summary.failures[d.lastAnswer, default: 0] += 1
                } else if d.delivered {
                    summary.sent += 1
                    summary.delivered += 1
                } else {
                    summary.sent += 1
                    summary.failed += 1
                    summary.failures[d.lastAnswer, default: 0] += 1
                }
                progress(d)
            }
            while plan.count.map({ index < $0 }) ?? true, !Task.isCancelled {
                if let rate = plan.rate, rate > 0 {
                    let due = start + .seconds(Double(index) / rate)
                    if due > .now { try? await Task.sleep(until: due) }
                }
                if inFlight >= plan.concurrency, let d = await group.next() { settle(d) }
                let i = index
                switch source {
                case .synthetic:
                    let body = generator!.next(now: .now())
                    group.addTask { await self.send(body, index: i, plan: plan) }
                case .given(let bodies):
                    let body = bodies[index % bodies.count]
                    group.addTask { await self.send(body, index: i, plan: plan) }
                case .requests(let requests):
                    let request = requests[index % requests.count]
                    group.addTask { await self.send(request, index: i, plan: plan) }
                }
                inFlight += 1
                index += 1
            }
            while let d = await group.next() { settle(d) }
        }
        return summary
    }

    /// One report, retried with a doubling backoff until the provider's rule is met or attempts run out.
    func send(_ body: [UInt8], index: Int, plan: PushPlan) async -> Delivery {
        do {
            return await deliver(try Self.request(for: body, plan: plan), index: index, plan: plan)
        } catch {
            return Delivery(index: index, delivered: false, attempts: 0, lastAnswer: error.description)
        }
    }

    /// A request made already (a replay), sent as it is.
    func send(_ rendered: RenderedRequest, index: Int, plan: PushPlan) async -> Delivery {
        do {
            return await deliver(try rendered.clientRequest(), index: index, plan: plan)
        } catch {
            return Delivery(index: index, delivered: false, attempts: 0, lastAnswer: error.description)
        }
    }

    private func deliver(_ request: HTTPClientRequest, index: Int, plan: PushPlan) async -> Delivery {
        var backoff = plan.initialBackoff
        var last = ""
        for attempt in 1...max(1, plan.attempts) {
            do {
                let (client, timeout) = (self.client, plan.timeout)
                let status = try await within(seconds: max(1, timeout.nanoseconds / 1_000_000_000)) {
                    let response = try await client.execute(request, timeout: timeout)
                    _ = try? await response.body.collect(upTo: 1 << 20)
                    return Int(response.status.code)
                }
                last = String(status)
                if ProviderRule.delivered(status) {
                    return Delivery(index: index, delivered: true, attempts: attempt, lastAnswer: last)
                }
            } catch {
                last = (error as? AnswerTimedOut)?.description ?? TransportFailure.describe(error, url: plan.url)
            }
            if attempt < plan.attempts {
                try? await Task.sleep(for: backoff)
                backoff *= 2
            }
        }
        return Delivery(index: index, delivered: false, attempts: max(1, plan.attempts), lastAnswer: last)
    }

    /// A report as the provider sends it: the body as it is, or rendered through the plan's webhook.
    static func request(for body: [UInt8], plan: PushPlan) throws(PushError) -> HTTPClientRequest {
        guard let webhook = plan.webhook else {
            if let problem = RenderedRequest.urlProblem(plan.url) { throw PushError("\(plan.url): \(problem)") }
            var request = HTTPClientRequest(url: plan.url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "user-agent", value: "calldash-push")
            request.body = .bytes(ByteBuffer(bytes: body))
            return request
        }
        let values: TemplateValues
        do {
            values = try TemplateValues(report: body)
        } catch {
            throw PushError("report not readable: \(error.reason)")
        }
        let rendered: RenderedRequest
        do { rendered = try webhook.render(values, secrets: plan.secrets) } catch { throw PushError("render: \(error.description)") }
        return try rendered.clientRequest(to: plan.url)
    }
}

/// Why a report could not be turned into a request (it is counted as not delivered).
public struct PushError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
