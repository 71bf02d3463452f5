/// A search text looked for in journal lines as bytes, ignoring ASCII case: the fast first pass
/// of a `q=` search over a journal of a million records. A line it finds is only a candidate
/// (the text may be in a key name); the full record decides. A line it does not find cannot
/// match, which holds only for text that a journal line always carries byte for byte: printable
/// ASCII other than `"` and `\` (JSON escapes those), in a line whose body is not base64.
struct TextNeedle {
    /// The text, lower-cased.
    let bytes: [UInt8]
    private let first: UInt8

    /// nil when the text is not one the byte scan can rule lines out for.
    init?(_ text: String) {
        let b = Array(text.lowercased().utf8)
        guard let f = b.first, b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else { return nil }
        bytes = b
        first = f
    }

    /// Whether `line` may hold the text (always true for a line whose body is base64).
    func mayMatch(_ line: UnsafeRawBufferPointer) -> Bool {
        contains(line) || Self.hasBase64Body(line)
    }

    /// ASCII-case-insensitive search, eight bytes a step for the first byte of the text.
    func contains(_ hay: UnsafeRawBufferPointer) -> Bool {
        let n = hay.count
        let m = bytes.count
        guard m <= n, let base = hay.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Folding with `| 0x20` turns A–Z into a–z (and some punctuation into other punctuation,
        // which only adds candidates that the byte check below refuses).
        let folded = first | (Self.isLetter(first) ? 0x20 : 0)
        let fold: UInt64 = Self.isLetter(first) ? ones &* 0x20 : 0
        let target = ones &* UInt64(folded)
        var i = 0
        let last = n - m
        while i <= last {
            if i + 8 <= n {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) | fold
                let x = w ^ target
                var hits = (x &- ones) & ~x & highs
                if hits == 0 {
                    i += 8
                    continue
                }
                while hits != 0 {
                    let k = i + hits.trailingZeroBitCount / 8
                    if k <= last, matchesAt(base, k) { return true }
                    hits &= hits - 1
                }
                i += 8
            } else {
                if matchesAt(base, i) { return true }
                i += 1
            }
        }
        return false
    }

    private func matchesAt(_ base: UnsafeRawPointer, _ at: Int) -> Bool {
        for j in 0..<bytes.count {
            var c = base.load(fromByteOffset: at + j, as: UInt8.self)
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != bytes[j] { return false }
        }
        return true
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// The journal writes `"raw_encoding":"base64"` near the end of a line whose body is binary.
    static func hasBase64Body(_ line: UnsafeRawBufferPointer) -> Bool {
        let marker = Array(#""raw_encoding":"base64""#.utf8)
        guard line.count >= marker.count else { return false }
        // It sits just before `,"webhook":…}` (at most ~30 bytes from the end); look at the tail.
        let tail = UnsafeRawBufferPointer(rebasing: line[max(0, line.count - 64)...])
        return tail.withMemoryRebound(to: UInt8.self) { t in
            t.count >= marker.count && (0...(t.count - marker.count)).contains { k in t[k..<(k + marker.count)].elementsEqual(marker) }
        }
    }
}
