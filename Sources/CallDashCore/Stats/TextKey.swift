/// A field value as a dictionary key without a heap allocation: up to 32 bytes are kept in
/// place (most values are that short); a longer one keeps its String.
struct TextKey: Hashable, Sendable {
    private var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0
    private var count: UInt8 = 0
    private var long: String?

    /// The bytes as they are; with `normalized`, as statuses compare: without surrounding
    /// spaces, ASCII letters upper-cased.
    init(_ bytes: UnsafeBufferPointer<UInt8>, normalized: Bool = false) {
        var lo = 0
        var hi = bytes.count
        if normalized {
            while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
            while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
        }
        let n = hi - lo
        guard n <= 32 else {
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
            long = normalized ? s.uppercased() : s
            count = 255
            return
        }
        count = UInt8(n)
        for k in 0..<n {
            var byte = bytes[lo + k]
            if normalized, byte &- 0x61 < 26 { byte -= 0x20 }
            let word = UInt64(byte) << (8 * UInt64(k % 8))
            switch k / 8 {
            case 0: a |= word
            case 1: b |= word
            case 2: c |= word
            default: d |= word
            }
        }
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { TextKey($0) }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    var string: String {
        if let long { return long }
        var bytes: [UInt8] = []
        for k in 0..<Int(count) {
            let word = [a, b, c, d][k / 8]
            bytes.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(k % 8))))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
