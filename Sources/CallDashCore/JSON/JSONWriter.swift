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

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            // Skip eight plain bytes at a time: none below 0x20, none a quote or a backslash.
            if i + 8 <= n, !JSONBytes.anySpecial(UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = utf8[i]
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

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
