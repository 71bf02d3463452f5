extension StringProtocol {
    /// What comes before the first `?` and the query after it (nil when there is none). The
    /// `?` is found as a byte, as RFC 3986 reads a URL: a combining mark after it, or a
    /// prepended character before it, does not hide it (a Character search would not see it).
    public func splitAtQuery() -> (beforeQuery: SubSequence, query: SubSequence?) {
        guard let q = utf8.firstIndex(of: UInt8(ascii: "?")) else { return (self[...], nil) }
        return (self[..<q], self[utf8.index(after: q)...])
    }
}
