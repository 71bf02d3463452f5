/// Where a rendered value lands, which decides how it is escaped: the same call value becomes
/// `%2B` in a query, `+` in JSON, `%2B` in a form and stays `+` in a multipart part.
public enum TemplateContext: Sendable, Equatable {
    case urlPath
    case urlQuery
    case jsonString
    case formValue
    case multipartValue
    case header

    /// `value` escaped for this context; nil for a header value that would hold CR, LF or NUL.
    public func escape(_ value: String) -> String? {
        switch self {
        case .urlPath, .urlQuery: return Self.percentEncoded(value, spaceAsPlus: false)
        case .formValue: return Self.percentEncoded(value, spaceAsPlus: true)
        case .jsonString: return Self.jsonEscaped(value)
        case .multipartValue: return value
        case .header: return value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" } ? nil : value
        }
    }

    /// RFC 3986 unreserved characters kept, every other byte of the UTF-8 as %XX.
    public static func percentEncoded(_ s: String, spaceAsPlus: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
            case 0x20 where spaceAsPlus: out.append(0x2B)
            default: out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inside of a JSON string (RFC 8259): quote, backslash and control characters escaped.
    static func jsonEscaped(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
