/// Wall-clock forms of times: how the dashboard shows `received_at`, and the provider's
/// `YYYY-MM-DD HH:MM:SS` for `start_at` and `end_at`.
extension Timestamp {
    /// "YYYY-MM-DD HH:MM:SS" at `offset` seconds east of UTC.
    public func civil(offset: Int) -> String {
        let (days, msOfDay) = (millis + Int64(offset) * 1000).floorDivided(by: 86_400_000)
        let (y, m, d) = Self.civil(fromDays: days)
        let s = msOfDay / 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))"
    }

    /// "HH:MM:SS" at `offset` seconds east of UTC.
    public func clock(offset: Int) -> String { String(civil(offset: offset).suffix(8)) }

    /// Seconds since 1970 of a provider time "YYYY-MM-DD HH:MM:SS" (its zone does not matter when
    /// two such times are subtracted); nil for anything else.
    public static func providerSeconds(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        return b.count == 19 ? civilSeconds(b, separator: 0x20) : nil
    }
}

private func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
