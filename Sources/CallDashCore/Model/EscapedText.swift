/// A text with its escapes decoded (`%73` → `s`, `\u0073` → `s`), and where each decoded byte
/// came from, so that a match found in the decoded bytes can be masked in the text as it was
/// sent. A peer may spell any character this way, not only those an encoder must escape.
struct EscapedText {
    /// The decoded bytes.
    var bytes: [UInt8]
    /// `origin[i]` is the offset in the text of the escape (or byte) that gave `bytes[i]`;
    /// `origin[bytes.count]` is the text's length.
    var origin: [Int]

    /// The range of the text that spells `decoded`, a range of `bytes` on character boundaries.
    func source(of decoded: Range<Int>) -> Range<Int> { origin[decoded.lowerBound]..<origin[decoded.upperBound] }

    /// `%XX` decoded (and `+` as a space when `plusAsSpace`); nil when the text has no escape.
    static func percentDecoded(_ text: [UInt8], plusAsSpace: Bool) -> EscapedText? {
        guard text.contains(0x25) || (plusAsSpace && text.contains(0x2B)) else { return nil }
        var view = EscapedText(bytes: [], origin: [])
        view.bytes.reserveCapacity(text.count)
        view.origin.reserveCapacity(text.count + 1)
        var i = 0
        while i < text.count {
            view.origin.append(i)
            if text[i] == 0x25, i + 2 < text.count, let hi = hexValue(text[i + 1]), let lo = hexValue(text[i + 2]) {
                view.bytes.append(hi << 4 | lo)
                i += 3
            } else {
                view.bytes.append(plusAsSpace && text[i] == 0x2B ? 0x20 : text[i])
                i += 1
            }
        }
        view.origin.append(text.count)
        return view
    }

    /// JSON string escapes decoded (`\uXXXX` with surrogate pairs, `\n`, `\/`, …); nil when the
    /// text has no backslash. Bytes outside strings are taken as they are: they never hold one.
    static func jsonUnescaped(_ text: [UInt8]) -> EscapedText? {
        guard text.contains(0x5C) else { return nil }
        var view = EscapedText(bytes: [], origin: [])
        view.bytes.reserveCapacity(text.count)
        view.origin.reserveCapacity(text.count + 1)
        var i = 0
        while i < text.count {
            let start = i
            var scalar: UInt32?
            if text[i] == 0x5C, i + 1 < text.count {
                switch text[i + 1] {
                case UInt8(ascii: "u"):
                    if var u = hex4(text, i + 2) {
                        i += 6
                        if u >= 0xD800, u < 0xDC00, i + 1 < text.count, text[i] == 0x5C, text[i + 1] == UInt8(ascii: "u"),
                            let low = hex4(text, i + 2), low >= 0xDC00, low < 0xE000
                        {
                            u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        scalar = u
                    }
                case UInt8(ascii: "n"): scalar = 0x0A
                case UInt8(ascii: "t"): scalar = 0x09
                case UInt8(ascii: "r"): scalar = 0x0D
                case UInt8(ascii: "b"): scalar = 0x08
                case UInt8(ascii: "f"): scalar = 0x0C
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(text[i + 1])
                default: break
                }
                if scalar != nil, i == start { i += 2 }
            }
            if let scalar {
                let encoded = Unicode.Scalar(scalar).map { Array(String(Character($0)).utf8) } ?? [0xEF, 0xBF, 0xBD]
                for b in encoded {
                    view.bytes.append(b)
                    view.origin.append(start)
                }
            } else {
                view.bytes.append(text[i])
                view.origin.append(i)
                i += 1
            }
        }
        view.origin.append(text.count)
        return view
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x37
        case 0x61...0x66: b - 0x57
        default: nil
        }
    }

    private static func hex4(_ text: [UInt8], _ at: Int) -> UInt32? {
        guard at + 4 <= text.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard let h = hexValue(text[k]) else { return nil }
            v = v << 4 | UInt32(h)
        }
        return v
    }
}
