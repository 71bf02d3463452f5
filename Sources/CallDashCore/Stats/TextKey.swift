/// A field value as a dictionary key without a heap allocation: up to 32 bytes are kept in
/// place (most values are that short); a longer one keeps its String.
struct TextKey: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count: UInt8 = 0
    private var long: String?

    /// The bytes as they are; with `normalized`, as statuses compare: without surrounding
    /// spaces, ASCII letters upper-cased.
    @inline(__always) init(_ bytes: UnsafeBufferPointer<UInt8>, normalized: Bool = false) {
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
        guard n > 0 else { return }
        withUnsafeMutableBytes(of: &words) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[lo..<hi]))
            if normalized {
                for k in 0..<n where dst[k] &- 0x61 < 26 { dst[k] -= 0x20 }
            }
        }
    }

    init(_ text: String) {
        self = text.withContiguousUTF8 { TextKey($0) }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    static func == (a: TextKey, b: TextKey) -> Bool {
        a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
            && (a.count != 255 || a.long == b.long)
    }

    func hash(into h: inout Hasher) {
        h.combine(count)
        h.combine(words.0)
        if count > 8 {
            h.combine(words.1)
            h.combine(words.2)
            h.combine(words.3)
        }
        if count == 255, let long { h.combine(long) }
    }

    var string: String {
        if let long { return long }
        var w = words
        return withUnsafeBytes(of: &w) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) }
    }
}
