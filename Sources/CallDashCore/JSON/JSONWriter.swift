/// Appends JSON text to a growable byte buffer. The journal and every API answer are written
/// with it: it is several times faster than JSONEncoder and keeps key order. Noncopyable so it
/// can own raw memory (no copy-on-write checks on each of the ~150 appends a record takes).
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 512) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The text written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(capacity * 2, needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) public mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    public mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        guard let source = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).update(from: source, count: p.count)
        count += p.count
    }

    public mutating func raw(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// A decimal integer, written without building a String.
    public mutating func int(_ v: some BinaryInteger) {
        if v < 0 { byte(UInt8(ascii: "-")) }
        var m = UInt64(v.magnitude)
        var digits = 1
        var probe = m
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        reserve(digits)
        var i = count + digits
        repeat {
            i -= 1
            base[i] = UInt8(ascii: "0") + UInt8(m % 10)
            m /= 10
        } while m > 0
        count += digits
    }

    /// A zero-padded number of exactly `width` digits (dates and times).
    public mutating func padded(_ v: Int64, width: Int) {
        reserve(width)
        var v = v
        for i in stride(from: count + width - 1, through: count, by: -1) {
            base[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
        count += width
    }

    /// A quoted, escaped JSON string.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    /// A quoted JSON string from raw UTF-8 bytes.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        byte(0x22)
        appendEscaped(utf8)
        byte(0x22)
    }

    public mutating func stringOrNull(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// Writes `"key":`.
    public mutating func key(_ k: String) {
        string(k)
        byte(0x3A)
    }

    /// Escapes what JSON requires, and also every character that could act on a terminal or
    /// reorder what it shows (C1 controls, bidi overrides and isolates, zero-width and line
    /// separators) as `\uXXXX`: `serve`'s output is often read in one. The value is unchanged.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            // Skip eight plain ASCII bytes at a time: none below 0x20, none a quote or a backslash.
            if i + 8 <= n {
                let w = UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0, !JSONBytes.anySpecial(w) {
                    i += 8
                    continue
                }
            }
            let b = utf8[i]
            if b >= 0x80 {
                guard let (scalar, length) = Self.invisibleScalar(utf8, at: i) else {
                    i += 1
                    continue
                }
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                raw("\\u")
                for shift in [12, 8, 4, 0] { byte(Self.hexDigit(UInt8((scalar >> UInt32(shift)) & 0xF))) }
                i += length
                runStart = i
                continue
            }
            i += 1
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<(i - 1)]))
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
                byte(Self.hexDigit(b >> 4))
                byte(Self.hexDigit(b & 0xF))
            }
            runStart = i
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
    }

    /// The scalar and its length in bytes when the UTF-8 sequence at `i` is one a terminal
    /// must not get raw: U+0080–U+009F, U+061C, U+200B–U+200F, U+2028–U+202E, U+2066–U+2069, U+FEFF.
    private static func invisibleScalar(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let n = u.count
        switch u[i] {
        case 0xC2 where i + 1 < n && (0x80...0x9F).contains(u[i + 1]):
            return (UInt32(u[i + 1]), 2)
        case 0xD8 where i + 1 < n && u[i + 1] == 0x9C:
            return (0x061C, 2)
        case 0xE2 where i + 2 < n:
            let s = 0x2000 | UInt32(u[i + 1] & 0x3F) << 6 | UInt32(u[i + 2] & 0x3F)
            guard u[i + 1] == 0x80 || u[i + 1] == 0x81 else { return nil }
            return (0x200B...0x200F).contains(s) || (0x2028...0x202E).contains(s) || (0x2066...0x2069).contains(s) ? (s, 3) : nil
        case 0xEF where i + 2 < n && u[i + 1] == 0xBB && u[i + 2] == 0xBF:
            return (0xFEFF, 3)
        default:
            return nil
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
