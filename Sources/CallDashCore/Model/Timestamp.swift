#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A UTC instant in milliseconds since 1970, printed as ISO 8601 (`2026-11-27T11:07:14.123Z`).
/// Hand-written formatting keeps it off the hot path's allocation budget and out of Foundation.
public struct Timestamp: Sendable, Equatable, Comparable, Hashable {
    public var millis: Int64

    public init(millis: Int64) { self.millis = millis }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millis < b.millis }

    /// The wall clock now.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millis: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// ISO 8601 in UTC with milliseconds.
    public var iso8601: String {
        var w = JSONWriter(capacity: 24)
        write(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Writes the ISO 8601 text straight into a buffer (the journal's hot path).
    public func write(to w: inout JSONWriter) {
        let (days, msOfDay) = millis.floorDivided(by: 86_400_000)
        let (y, m, d) = Self.civil(fromDays: days)
        let secs = msOfDay / 1000
        w.padded(y, width: 4)
        w.byte(0x2D)
        w.padded(m, width: 2)
        w.byte(0x2D)
        w.padded(d, width: 2)
        w.byte(0x54)
        w.padded(secs / 3600, width: 2)
        w.byte(0x3A)
        w.padded(secs / 60 % 60, width: 2)
        w.byte(0x3A)
        w.padded(secs % 60, width: 2)
        w.byte(0x2E)
        w.padded(msOfDay % 1000, width: 3)
        w.byte(0x5A)
    }

    /// Parses what `iso8601` prints (also without milliseconds); nil for anything else.
    public init?(iso8601 s: String) {
        let b = Array(s.utf8)
        guard b.count == 20 || b.count == 24, b.last == 0x5A, let seconds = Self.civilSeconds(b, separator: 0x54) else { return nil }
        var ms: Int64 = 0
        if b.count == 24 {
            guard b[19] == 0x2E, let f = Self.digits(b, 20..<23) else { return nil }
            ms = f
        }
        millis = seconds * 1000 + ms
    }

    /// Seconds since 1970 of "YYYY-MM-DD?HH:MM:SS" at the start of `b`, `?` being `separator`.
    static func civilSeconds<B: RandomAccessCollection<UInt8>>(_ b: B, separator: UInt8) -> Int64? where B.Index == Int {
        let o = b.startIndex
        guard b.count >= 19, b[o + 4] == 0x2D, b[o + 7] == 0x2D, b[o + 10] == separator, b[o + 13] == 0x3A, b[o + 16] == 0x3A,
            let y = digits(b, 0..<4), let mo = digits(b, 5..<7), let d = digits(b, 8..<10), let h = digits(b, 11..<13),
            let mi = digits(b, 14..<16), let se = digits(b, 17..<19), (1...12).contains(mo), (1...31).contains(d),
            h < 24, mi < 60, se < 61
        else { return nil }
        return ((days(fromCivil: y, mo, d) * 24 + h) * 60 + mi) * 60 + se
    }

    static func digits<B: RandomAccessCollection<UInt8>>(_ b: B, _ r: Range<Int>) -> Int64? where B.Index == Int {
        var v: Int64 = 0
        for i in r {
            let c = b[b.startIndex + i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int64(c - 0x30)
        }
        return v
    }

    // Howard Hinnant's civil-date algorithms: exact for the proleptic Gregorian calendar.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Int64 {
    /// Floor division and non-negative remainder (dates before 1970 still format correctly).
    func floorDivided(by d: Int64) -> (Int64, Int64) {
        let q = self / d
        let r = self % d
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}
