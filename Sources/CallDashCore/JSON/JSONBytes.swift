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

    /// The bytes of `w` the writer must look at one by one: special as in `anySpecial`, or not
    /// ASCII. Only the lowest flagged byte is exact (a borrow can flag bytes above it), which is
    /// all the writer uses: every byte below it is copied as it is.
    @inline(__always) static func escapeCandidates(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return ((w &- ones &* 0x20) & ~w & highs) | zeros(w ^ (ones &* 0x22)) | zeros(w ^ (ones &* 0x5C)) | (w & highs)
    }
}
