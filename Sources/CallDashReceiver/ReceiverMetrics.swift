import CallDashCore
import Synchronization

/// Counters the `/_calldash/metrics` endpoint exposes beyond the store's own totals.
final class ReceiverMetrics: Sendable {
    private struct Counts: Sendable {
        /// Indexed by status code: no hashing on the hot path.
        var responsesByCode = [UInt64](repeating: 0, count: 600)
        var bodyBytes: UInt64 = 0
        var apiRequests: UInt64 = 0
        var streams = 0
        var streamsDropped: UInt64 = 0
    }

    private let counts = Mutex(Counts())

    func delivery(code: Int, bodyBytes: Int) {
        counts.withLock {
            $0.responsesByCode[min(max(code, 0), 599)] += 1
            $0.bodyBytes += UInt64(bodyBytes)
        }
    }

    func apiRequest() {
        counts.withLock { $0.apiRequests += 1 }
    }

    func streamOpened() { counts.withLock { $0.streams += 1 } }
    func streamClosed() { counts.withLock { $0.streams -= 1 } }
    func streamDropped() { counts.withLock { $0.streamsDropped += 1 } }

    /// The Prometheus text exposition format (version 0.0.4).
    func prometheusText(store: StoreCounts, storedCount: Int, journalBytes: UInt64?) -> String {
        let c = counts.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        metric("calldash_deliveries_total", "counter", "Deliveries recorded since the journal began, by outcome.", [
            ("{outcome=\"accepted\"}", String(store.accepted)), ("{outcome=\"rejected\"}", String(store.rejected)),
        ])
        metric("calldash_responses_total", "counter", "Answers to deliveries since start, by HTTP status.",
               c.responsesByCode.enumerated().filter { $0.element > 0 }.map { ("{code=\"\($0.offset)\"}", String($0.element)) })
        metric("calldash_received_body_bytes_total", "counter", "Delivery body bytes received since start.", [("", String(c.bodyBytes))])
        metric("calldash_api_requests_total", "counter", "Requests to /_calldash/ endpoints since start.", [("", String(c.apiRequests))])
        metric("calldash_reports_stored", "gauge", "Reports held in memory.", [("", String(storedCount))])
        var byStatus = CallStatus.allCases.map { ("{status=\"\($0.rawValue)\"}", String(store.stored(status: $0))) }
        byStatus.append(("{status=\"other\"}", String(store.storedOtherStatus)))
        byStatus.append(("{status=\"none\"}", String(store.stored(status: nil))))
        metric("calldash_reports_stored_by_status", "gauge", "Reports held in memory, by call status.", byStatus)
        if let journalBytes {
            metric("calldash_journal_bytes", "gauge", "Size of the journal file.", [("", String(journalBytes))])
        }
        metric("calldash_stream_subscribers", "gauge", "Open /_calldash/stream connections.", [("", String(c.streams))])
        metric("calldash_stream_subscribers_dropped_total", "counter", "Stream clients cut off for falling too far behind.", [("", String(c.streamsDropped))])
        return out
    }
}
