/// `application/x-www-form-urlencoded` and query strings (WHATWG URL rules: `+` is a space,
/// `%XX` a byte), decoded strictly: a malformed escape or non-UTF-8 result is an error with its offset.
public enum FormURLEncoding {
    /// Splits `a=1&b=2` into ordered pairs; empty segments are skipped and `a` alone means `a=`.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, what: String) throws(Rejection) -> [NameValue] {
        var pairs: [NameValue] = []
        var start = 0
        let n = bytes.count
        while start <= n {
            var end = start
            while end < n, bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var eq = start
                while eq < end, bytes[eq] != UInt8(ascii: "=") { eq += 1 }
                let name = try decodeComponent(bytes, start..<eq, what: what)
                let value = eq < end ? try decodeComponent(bytes, (eq + 1)..<end, what: what) : ""
                pairs.append(NameValue(name, value))
            }
            start = end + 1
        }
        return pairs
    }

    public static func decode(_ string: String, what: String) throws(Rejection) -> [NameValue] {
        try string.withContiguousUTF8 { p in Result { () throws(Rejection) in try decode(p, what: what) } }.get()
    }

    /// `%XX` escapes decoded, as in a URL path (a `+` stays a `+`); nil when malformed.
    public static func percentDecoded(_ s: String) -> String? {
        var out: [UInt8] = []
        var bytes = s.utf8[...]
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "%") else {
                out.append(b)
                continue
            }
            guard let h = bytes.popFirst().flatMap(hexValue), let l = bytes.popFirst().flatMap(hexValue) else { return nil }
            out.append(h << 4 | l)
        }
        return UTF8Validation.firstInvalidOffset(out) == nil ? String(decoding: out, as: UTF8.self) : nil
    }

    private static func decodeComponent(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, what: String) throws(Rejection) -> String
    {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < range.upperBound, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else {
                    throw Rejection(400, "\(what): malformed percent-escape at byte \(i)")
                }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        if let bad = UTF8Validation.firstInvalidOffset(out) {
            throw Rejection(
                400, "\(what): invalid UTF-8 after percent-decoding (byte \(bad) of a value starting at byte \(range.lowerBound))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
