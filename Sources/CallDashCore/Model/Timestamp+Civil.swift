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
        guard b.count == 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
              let mi = num(14..<16), let se = num(17..<19), (1...12).contains(mo), (1...31).contains(d),
              h < 24, mi < 60, se < 61 else { return nil }
        return ((days(fromCivil: y, mo, d) * 24 + h) * 60 + mi) * 60 + se
    }
}

private func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
