/// Appends JSON text to a byte buffer; the journal and every API answer are written with it
/// because it is several times faster than JSONEncoder and keeps key order.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A decimal integer, written without building a String.
    public mutating func int(_ v: some BinaryInteger) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = UInt64(v.magnitude)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of scratch, enough for 20 digits
        let n = withUnsafeMutableBytes(of: &digits) { p -> Int in
            var i = 24
            repeat {
                i -= 1
                p[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            bytes.append(contentsOf: p[i...])
            return 24 - i
        }
        _ = n
    }

    /// A zero-padded number of exactly `width` digits (dates and times).
    public mutating func padded(_ v: Int64, width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = v
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    /// A quoted, escaped JSON string.
    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { appendEscaped($0) }
        bytes.append(0x22)
    }

    /// A quoted JSON string from raw UTF-8 bytes.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        appendEscaped(utf8)
        bytes.append(0x22)
    }

    public mutating func stringOrNull(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// Writes `"key":` (the key is trusted to need no escaping only when static).
    public mutating func key(_ k: StaticString) {
        bytes.append(0x22)
        raw(k)
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    public mutating func key(_ k: String) {
        string(k)
        bytes.append(0x3A)
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            // Skip eight plain bytes at a time: none below 0x20, none a quote or a backslash.
            if i + 8 <= n {
                let w = UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if !Self.needsEscape(w) {
                    i += 8
                    continue
                }
            }
            let b = utf8[i]
            i += 1
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if runStart < i - 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(i - 1)])) }
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                bytes.append(Self.hexDigits[Int(b >> 4)])
                bytes.append(Self.hexDigits[Int(b & 0xF)])
            }
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

    /// Whether any of eight bytes is a control character, '"' or '\\' (SWAR "has byte" tests).
    @inline(__always) private static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below0x20 = (w &- ones &* 0x20) & ~w & highs != 0
        return below0x20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
