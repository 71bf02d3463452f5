/// Byte-level tests shared by the JSON reader and writer.
enum JSONBytes {
    /// Whether any of eight bytes (read as one little-endian word) is special inside a JSON
    /// string: a control character, '"' or '\\'. Strings are scanned eight bytes at a time with it.
    @inline(__always) static func anySpecial(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below0x20 = (w &- ones &* 0x20) & ~w & highs != 0
        return below0x20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
    }
}
