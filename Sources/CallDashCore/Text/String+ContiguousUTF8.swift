extension String {
    /// Calls `body` with the string's UTF-8 bytes. A native string's bytes are lent in place;
    /// `withUTF8` on a `var` copy instead costs a retain and release per call, which on the
    /// ingest path (some 40 texts per delivery) was an eighth of writing the journal line.
    @inline(__always)
    func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self // bridged or otherwise not contiguous: made contiguous once
        return try copy.withUTF8(body)
    }
}
