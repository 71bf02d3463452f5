/// Byte-level tests shared by the JSON reader and writer, on eight bytes read as one
/// little-endian word. A mask has the high bit set in each flagged byte; only its lowest flagged
/// byte is exact (a borrow can flag bytes above it), which is all its users need: every byte
/// below it is plain.
enum JSONBytes {
    /// The eight bytes at `p` as a little-endian word, so that the lowest flagged byte of a mask
    /// is the first in memory on any machine.
    @inline(__always) static func word(at p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// The bytes special inside a JSON string: a control character, '"' or '\\'.
    @inline(__always) static func specials(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return ((w &- ones &* 0x20) & ~w & highs) | zeros(w ^ (ones &* 0x22)) | zeros(w ^ (ones &* 0x5C))
    }

    /// The bytes the writer must look at one by one: special, or not ASCII.
    @inline(__always) static func escapeCandidates(_ w: UInt64) -> UInt64 {
        specials(w) | (w & 0x8080_8080_8080_8080)
    }
}
