/// Makes realistic provider reports: Indian mobile numbers, a DID bridge, a status mix like a
/// real OBD campaign, talk time and a recording only for answered calls, and distinct `mid`s.
public struct SyntheticReports: Sendable {
    private var rng: SplitMix64
    private var counter: UInt64 = 0
    private let campaign: Int
    private let batch: Int
    private let bridge: String
    private let flowID: Int
    private let webhookID: Int
    /// Where answered calls' recordings are (a URL without the trailing slash).
    private let recordings: String
    /// Whether reports take a campaign's shape (`Campaign`); nil keeps to one flow and bridge.
    private let shape: Campaign?
    /// The last reports sent, for the provider's retries of a campaign.
    private var recent: [[UInt8]] = []

    /// Status weights out of 100, as seen in outbound campaigns: most calls connect, a fifth ring out.
    static let statusMix: [(CallStatus, Int)] = [
        (.answer, 55), (.noAnswer, 18), (.busy, 10), (.cancel, 6), (.failed, 5), (.congestion, 3), (.chanUnavailable, 3)
    ]

    public init(seed: UInt64, recordings: String = "https://recordings.example.com/obd", campaignShape: Bool = false) {
        self.recordings = recordings
        var rng = SplitMix64(seed: seed)
        campaign = Int.random(in: 1000...9999, using: &rng)
        batch = Int.random(in: 1000...9999, using: &rng)
        bridge = "9180" + String(Int.random(in: 6000_0000...6999_9999, using: &rng))
        flowID = Int.random(in: 100...999, using: &rng)
        webhookID = Int.random(in: 1...99, using: &rng)
        shape = campaignShape ? Campaign(firstFlow: flowID, using: &rng) : nil
        self.rng = rng
    }

    /// The next report as the provider sends it: a JSON object whose numbers are unquoted and
    /// whose `duration` is a string, like the provider's own example. `now` is the provider's local time.
    public mutating func next(now: Timestamp) -> [UInt8] {
        if let shape, !recent.isEmpty, Int.random(in: 0..<100, using: &rng) < shape.retryPercent {
            return recent[Int.random(in: 0..<recent.count, using: &rng)] // the provider sends one again, byte for byte
        }
        counter += 1
        let flow = shape.map { $0.flows[Self.pick($0.flows.map(\.weight), &rng)] }
        let status = flow.map { CallStatus.allCases[Self.pick($0.statusWeights, &rng)] } ?? pickStatus()
        let talk = status == .answer ? pickDuration() : 0
        let ring = Int64(Int.random(in: 3...25, using: &rng))
        let length = Int64(talk) + (status == .answer ? 0 : ring)
        // A campaign's calls are placed in its office hours (and end before now); others end now.
        let placed = shape.map { min($0.startOfCall(now: now, using: &rng), now.millis / 1000 - length) }
        let start = placed ?? now.millis / 1000 - length
        let end = start + length
        let bridge = shape.map { $0.bridges[Int.random(in: 0..<$0.bridges.count, using: &rng)] } ?? self.bridge
        // 7919 is coprime to 36^5, so this scrambles the counter without ever repeating a mid.
        let mid = "\(campaign)-\(batch)-\(Self.base36(counter &* 7_919 % 60_466_176, width: 5))"
        var w = JSONWriter(capacity: 360)
        w.raw("{")
        w.raw("\"webhook_id\":")
        w.int(webhookID)
        w.raw(",")
        w.raw("\"bridge\":")
        w.raw(bridge)
        w.raw(",")
        w.raw("\"from\":")
        w.raw(bridge)
        w.raw(",")
        w.raw("\"to\":")
        w.raw(mobileNumber())
        w.raw(",")
        w.raw("\"source\":")
        w.string(Int.random(in: 0..<5, using: &rng) == 0 ? "Click2Call" : "OBD")
        w.raw(",")
        w.raw("\"mid\":")
        w.string(mid)
        w.raw(",")
        w.raw("\"flow_id\":")
        w.int(flow?.id ?? flowID)
        w.raw(",")
        w.raw("\"start_at\":")
        w.string(Self.localTime(start))
        w.raw(",")
        w.raw("\"end_at\":")
        w.string(Self.localTime(end))
        w.raw(",")
        w.raw("\"duration\":")
        w.string(String(talk))
        w.raw(",")
        w.raw("\"status\":")
        w.string(status.rawValue)
        w.raw(",")
        w.raw("\"recording_url\":")
        w.string(status == .answer ? "\(recordings)/\(campaign)/\(mid).mp3" : "")
        w.raw("}")
        if shape != nil {
            if recent.count >= 50 { recent.removeFirst() }
            recent.append(w.bytes)
        }
        return w.bytes
    }

    /// An index drawn with the given weights.
    static func pick(_ weights: [Int], _ rng: inout SplitMix64) -> Int {
        var roll = Int.random(in: 0..<max(1, weights.reduce(0, +)), using: &rng)
        for (i, w) in weights.enumerated() {
            if roll < w { return i }
            roll -= w
        }
        return 0
    }

    private mutating func pickStatus() -> CallStatus {
        var roll = Int.random(in: 0..<100, using: &rng)
        for (status, weight) in Self.statusMix {
            if roll < weight { return status }
            roll -= weight
        }
        return .answer
    }

    /// Talk time in seconds: mostly short, a long tail of real conversations.
    private mutating func pickDuration() -> Int {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<70: Int.random(in: 4...90, using: &rng)
        case 70..<95: Int.random(in: 91...300, using: &rng)
        default: Int.random(in: 301...1200, using: &rng)
        }
    }

    /// 91 + a ten-digit mobile number starting 6 to 9.
    private mutating func mobileNumber() -> String {
        "91" + String(Int.random(in: 6...9, using: &rng)) + String(Int.random(in: 100_000_000...999_999_999, using: &rng))
    }

    static func base36(_ v: UInt64, width: Int) -> String {
        let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var v = v
        var out: [Character] = []
        while v > 0 || out.count < width {
            out.append(digits[Int(v % 36)])
            v /= 36
        }
        return String(out.reversed())
    }

    /// `YYYY-MM-DD HH:MM:SS` in India Standard Time (UTC+05:30), the provider's local time.
    static func localTime(_ epochSeconds: Int64) -> String {
        let iso = Timestamp(millis: (epochSeconds + 19_800) * 1000).iso8601
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8)
    }
}

extension SyntheticReports {
    /// The shape of a real campaign, for the demo and benchmarks: four flows that answer very
    /// differently (the last one mostly fails), three DID bridges, 4% of reports sent again by
    /// the provider, and calls placed over office hours with a morning and an evening peak.
    struct Campaign: Sendable {
        struct Flow: Sendable {
            var id: Int
            /// How many calls it gets, relative to the others.
            var weight: Int
            /// Weights in `CallStatus.allCases` order.
            var statusWeights: [Int]
        }

        var flows: [Flow]
        var bridges: [String]
        var retryPercent = 4
        /// Weights of the provider-local hours 09…21 that calls are placed in.
        static let hours = [4, 8, 12, 9, 6, 8, 10, 11, 12, 8, 6, 4, 2]

        init(firstFlow: Int, using rng: inout SplitMix64) {
            // ANSWER, NOANSWER, BUSY, CANCEL, FAILED, CONGESTION, CHANUNAVAIL
            let mixes = [[72, 12, 7, 4, 2, 2, 1], [58, 18, 10, 6, 4, 2, 2], [40, 26, 14, 8, 6, 3, 3], [18, 16, 8, 4, 30, 20, 4]]
            flows = mixes.enumerated().map { n, mix in Flow(id: firstFlow + n, weight: [40, 30, 20, 10][n], statusWeights: mix) }
            bridges = (0..<3).map { _ in "9180" + String(Int.random(in: 6000_0000...6999_9999, using: &rng)) }
        }

        /// When a call started, in seconds since 1970: earlier today (or yesterday), at an hour of
        /// the office-hours profile, in the provider's local time.
        func startOfCall(now: Timestamp, using rng: inout SplitMix64) -> Int64 {
            let ist: Int64 = 19_800
            let local = now.millis / 1000 + ist
            let today = local - local % 86_400
            let hour = Int64(9 + SyntheticReports.pick(Self.hours, &rng))
            var at = today + hour * 3600 + Int64.random(in: 0..<3600, using: &rng)
            if at > local { at -= 86_400 }
            return at - ist
        }
    }
}
