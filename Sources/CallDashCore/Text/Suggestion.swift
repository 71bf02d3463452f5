/// "Did you mean …?" for a mistyped name: the closest candidate within a small edit distance.
public enum Suggestion {
    /// The candidate nearest to `name` (case-insensitive Levenshtein distance at most a third of
    /// its length, and at least 1), or nil when none is close enough.
    public static func nearest(to name: String, among candidates: some Sequence<String>) -> String? {
        let a = Array(name.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(a, Array(c.lowercased().unicodeScalars))
            if d < (best?.1 ?? .max) { best = (c, d) }
        }
        guard let (c, d) = best, d > 0, d <= max(1, a.count / 3) else { return nil }
        return c
    }

    public static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = prev
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
