extension String {
    /// What comes before the first `?` and the query after it (nil when there is none). The
    /// `?` is found as a byte, as RFC 3986 reads a URL: a combining mark after it, or a
    /// prepended character before it, does not hide it (a Character search would not see it).
    /// (Not generic: the receiver calls it on every request, and a generic one is not specialised
    /// across the module boundary.)
    public func splitAtQuery() -> (beforeQuery: Substring, query: Substring?) {
        guard let q = utf8.firstIndex(of: UInt8(ascii: "?")) else { return (self[...], nil) }
        return (self[..<q], self[utf8.index(after: q)...])
    }
}
