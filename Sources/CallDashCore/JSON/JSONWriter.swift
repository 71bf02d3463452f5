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
        s.withContiguousUTF8 { append($0) }
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
        s.withContiguousUTF8 { string(utf8: $0) }
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
    ///
    /// Room for the worst case (six bytes out per byte in) is reserved a chunk at a time, so the
    /// loop writes through a pointer with no capacity check per byte.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let src = utf8.baseAddress else { return }
        let n = utf8.count
        var i = 0
        while i < n {
            let chunkEnd = min(n, i + Self.escapeChunk)
            reserve((chunkEnd - i) * 6)
            var out = base + count
            while i < chunkEnd {
                // Eight bytes at a time: all are copied, and kept up to the first that is not
                // plain ASCII (below 0x20, a quote, a backslash or 0x80 and above). The store
                // fits: the chunk reserved six bytes out for each of the eight or more still in.
                if i + 8 <= chunkEnd {
                    let w = JSONBytes.word(at: src + i)
                    UnsafeMutableRawPointer(out).storeBytes(of: w.littleEndian, as: UInt64.self)
                    let flagged = JSONBytes.escapeCandidates(w)
                    if flagged == 0 {
                        out += 8
                        i += 8
                        continue
                    }
                    let plain = flagged.trailingZeroBitCount >> 3
                    out += plain
                    i += plain
                }
                let b = src[i]
                if b >= 0x80 {
                    // A sequence cut by the chunk's end is read whole: `invisibleScalar` looks at the buffer.
                    if let (scalar, length) = Self.invisibleScalar(utf8, at: i) {
                        out = Self.writeUnicodeEscape(scalar, at: out)
                        i += length
                    } else {
                        out.pointee = b
                        out += 1
                        i += 1
                    }
                    continue
                }
                i += 1
                if b >= 0x20 && b != 0x22 && b != 0x5C {
                    out.pointee = b
                    out += 1
                    continue
                }
                let short: UInt8? =
                    switch b {
                    case 0x22: 0x22
                    case 0x5C: 0x5C
                    case 0x0A: UInt8(ascii: "n")
                    case 0x0D: UInt8(ascii: "r")
                    case 0x09: UInt8(ascii: "t")
                    case 0x08: UInt8(ascii: "b")
                    case 0x0C: UInt8(ascii: "f")
                    default: nil
                    }
                if let short {
                    out[0] = 0x5C
                    out[1] = short
                    out += 2
                } else {
                    out = Self.writeUnicodeEscape(UInt32(b), at: out)
                }
            }
            count = out - base
        }
    }

    /// Input bytes escaped per reservation (a chunk reserves six times as many).
    private static let escapeChunk = 4096

    /// Writes `\uXXXX` (six bytes) at `out` and returns the position after it.
    private static func writeUnicodeEscape(_ scalar: UInt32, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = 0x5C
        out[1] = UInt8(ascii: "u")
        out[2] = hexDigit(UInt8((scalar >> 12) & 0xF))
        out[3] = hexDigit(UInt8((scalar >> 8) & 0xF))
        out[4] = hexDigit(UInt8((scalar >> 4) & 0xF))
        out[5] = hexDigit(UInt8(scalar & 0xF))
        return out + 6
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
