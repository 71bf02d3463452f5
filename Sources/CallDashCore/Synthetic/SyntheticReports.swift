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

    /// Status weights out of 100, as seen in outbound campaigns: most calls connect, a fifth ring out.
    static let statusMix: [(CallStatus, Int)] = [
        (.answer, 55), (.noAnswer, 18), (.busy, 10), (.cancel, 6), (.failed, 5), (.congestion, 3), (.chanUnavailable, 3)
    ]

    public init(seed: UInt64, recordings: String = "https://recordings.example.com/obd") {
        self.recordings = recordings
        var rng = SplitMix64(seed: seed)
        campaign = Int.random(in: 1000...9999, using: &rng)
        batch = Int.random(in: 1000...9999, using: &rng)
        bridge = "9180" + String(Int.random(in: 6000_0000...6999_9999, using: &rng))
        flowID = Int.random(in: 100...999, using: &rng)
        webhookID = Int.random(in: 1...99, using: &rng)
        self.rng = rng
    }

    /// The next report as the provider sends it: a JSON object whose numbers are unquoted and
    /// whose `duration` is a string, like the provider's own example. `now` is the provider's local time.
    public mutating func next(now: Timestamp) -> [UInt8] {
        counter += 1
        let status = pickStatus()
        let talk = status == .answer ? pickDuration() : 0
        let ring = Int64(Int.random(in: 3...25, using: &rng))
        let end = now.millis / 1000
        let start = end - Int64(talk) - (status == .answer ? 0 : ring)
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
        w.int(flowID)
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
        return w.bytes
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
