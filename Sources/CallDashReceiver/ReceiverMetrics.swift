import CallDashCore
import CoreMetrics
import Prometheus
import Synchronization

/// The receiver's metrics, through swift-metrics into a swift-prometheus registry of its own (one
/// per receiver, so several can run in one process, as the tests do). What the store already
/// counts is brought up to date when `/_calldash/metrics` is read; the hot path only bumps
/// atomic counters and histograms.
final class ReceiverMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// From the end of a delivery's request to its answer (journal write included).
    private let handling: CoreMetrics.Timer
    /// One journal write of an event-loop pass's deliveries.
    private let commit: CoreMetrics.Timer
    private let journalRefused: CoreMetrics.Counter
    private let bodyBytes: CoreMetrics.Counter
    private let apiRequests: CoreMetrics.Counter
    private let streams: CoreMetrics.Meter
    private let streamsDropped: CoreMetrics.Counter
    /// Answers by status code: the usual ones made up front (read without a lock on the hot
    /// path), any other on first use.
    private let usualResponses: [Int: CoreMetrics.Counter]
    private let otherResponses = Mutex<[Int: CoreMetrics.Counter]>([:])
    /// Store-derived figures, set from the store's counts at each scrape.
    private let deliveries: [Outcome: Prometheus.Counter]
    private let deliveriesSeen = Mutex<[Outcome: UInt64]>([:])
    private let stored: Prometheus.Gauge
    private let storedByStatus: [String: Prometheus.Gauge]
    /// Forwarding's figures (`--forward-to`), set from the recorder's at each scrape.
    private let forwards: [(counter: Prometheus.Counter, value: @Sendable (ForwardLog.Counts) -> UInt64)]
    private let forwardsSeen = Mutex(ForwardLog.Counts())
    /// Made on the first scrape with a journal (there is none with --no-journal).
    private let journalBytes = Mutex<Prometheus.Gauge?>(nil)

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)
        ]
        factory.durationHistogramBuckets = ["calldash_delivery_seconds": fast, "calldash_journal_commit_seconds": fast]
        self.factory = factory
        usualResponses = Dictionary(
            uniqueKeysWithValues: [200, 202, 204, 400, 401, 403, 404, 405, 408, 413, 415, 500, 503].map {
                ($0, CoreMetrics.Counter(label: "calldash_responses_total", dimensions: [("code", String($0))], factory: factory))
            })
        handling = CoreMetrics.Timer(label: "calldash_delivery_seconds", factory: factory)
        commit = CoreMetrics.Timer(label: "calldash_journal_commit_seconds", factory: factory)
        journalRefused = CoreMetrics.Counter(label: "calldash_journal_refused_total", factory: factory)
        bodyBytes = CoreMetrics.Counter(label: "calldash_received_body_bytes_total", factory: factory)
        apiRequests = CoreMetrics.Counter(label: "calldash_api_requests_total", factory: factory)
        streams = CoreMetrics.Meter(label: "calldash_stream_subscribers", factory: factory)
        streamsDropped = CoreMetrics.Counter(label: "calldash_stream_subscribers_dropped_total", factory: factory)
        let help = "Deliveries recorded since the journal began, by outcome."
        deliveries = [
            .accepted: registry.makeCounter(
                descriptor: Self.named("calldash_deliveries_total", help),
                labels: [("outcome", "accepted")]
            ),
            .rejected: registry.makeCounter(
                descriptor: Self.named("calldash_deliveries_total", help),
                labels: [("outcome", "rejected")]
            )
        ]
        stored = registry.makeGauge(
            descriptor: Self.named("calldash_reports_stored", "Reports held in memory."))
        let byStatus = Self.named("calldash_reports_stored_by_status", "Reports held in memory, by call status.")
        var gauges: [String: Prometheus.Gauge] = [:]
        for slot in StatusSlot.allCases {
            gauges[slot.metricLabel] = registry.makeGauge(descriptor: byStatus, labels: [("status", slot.metricLabel)])
        }
        storedByStatus = gauges
        let forwardMetrics: [(@Sendable (ForwardLog.Counts) -> UInt64, String, String)] = [
            ({ $0.attempts }, "calldash_forward_attempts_total", "Attempts to forward a delivery to --forward-to."),
            ({ $0.delivered }, "calldash_forward_delivered_total", "Deliveries the app took (200 or 202)."),
            ({ $0.failed }, "calldash_forward_failed_total", "Deliveries given up on after their last forward attempt."),
            ({ $0.dropped }, "calldash_forward_queue_dropped_total", "Deliveries not forwarded because the forward queue was full.")
        ]
        let registry = self.registry
        forwards = forwardMetrics.map { value, name, help in
            (registry.makeCounter(descriptor: Self.named(name, help)), value)
        }
    }

    /// A Prometheus name written whole, its unit included where it has one (`_total`, `_bytes`).
    private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// A delivery answered with `code`, `nanoseconds` after its request ended.
    func delivery(code: Int, bodyBytes bytes: Int, nanoseconds: Int64) {
        let counter =
            usualResponses[code]
            ?? otherResponses.withLock { counters in
                if let c = counters[code] { return c }
                let c = CoreMetrics.Counter(label: "calldash_responses_total", dimensions: [("code", String(code))], factory: factory)
                counters[code] = c
                return c
            }
        counter.increment()
        bodyBytes.increment(by: Int64(bytes))
        handling.recordNanoseconds(nanoseconds)
    }

    func journalCommit(nanoseconds: Int64) { commit.recordNanoseconds(nanoseconds) }
    func journalRefusedDelivery() { journalRefused.increment() }
    func apiRequest() { apiRequests.increment() }
    func streamOpened() { streams.increment() }
    func streamClosed() { streams.decrement() }
    func streamDropped() { streamsDropped.increment() }

    /// The Prometheus text exposition format (version 0.0.4).
    func prometheusText(store: StoreCounts, storedCount: Int, journalBytes bytes: UInt64?, forwards now: ForwardLog.Counts) -> String {
        deliveriesSeen.withLock { seen in
            for (outcome, total) in [(Outcome.accepted, store.accepted), (.rejected, store.rejected)] {
                let delta = total - min(total, seen[outcome] ?? 0)
                if delta > 0 { deliveries[outcome]?.increment(by: Int64(delta)) }
                seen[outcome] = max(total, seen[outcome] ?? 0)
            }
        }
        forwardsSeen.withLock { seen in
            for (counter, value) in forwards where value(now) > value(seen) {
                counter.increment(by: Int64(value(now) - value(seen)))
            }
            seen = now
        }
        stored.set(to: Double(storedCount))
        for slot in StatusSlot.allCases { storedByStatus[slot.metricLabel]?.set(to: Double(store.stored(slot))) }
        if let bytes {
            let gauge = journalBytes.withLock { g in
                if g == nil {
                    g = registry.makeGauge(
                        descriptor: Self.named("calldash_journal_bytes", "Size of the journal file."))
                }
                return g
            }
            gauge?.set(to: Double(bytes))
        }
        return registry.emitToString()
    }
}

extension StatusSlot {
    /// The `status` label of `calldash_reports_stored_by_status`.
    fileprivate var metricLabel: String { self == .none ? "none" : name }
}
