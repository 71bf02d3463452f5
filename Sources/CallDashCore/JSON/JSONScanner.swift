/// A strict RFC 8259 reader that keeps every value's exact text.
///
/// Foundation's JSON types turn numbers into Doubles, which would turn `9198765432101234567`
/// into `9198765432101234000`; this reader never converts a number, it only checks its grammar
/// and hands back the lexeme. It reads UTF-8 bytes that the caller has already validated.
public struct JSONScanner {
    /// Nesting limit: deeper input is an error, never a stack overflow.
    public static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    public private(set) var position: Int = 0
    /// Where the key of the member being read by `readObject` starts.
    public private(set) var keyOffset: Int = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { position >= bytes.count }

    /// Continues reading at `offset`, leaving what lies between unread and unchecked; for a
    /// caller that knows the document's layout (the journal's own lines).
    mutating func jump(to offset: Int) {
        position = offset
    }

    // MARK: - Structure

    /// Skips JSON whitespace (space, tab, LF, CR only).
    public mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Reads an object's members one at a time: calls `member` with each key, positioned at the value,
    /// which `member` must consume (by reading or skipping it). Rejects trailing commas.
    public mutating func readObject(
        depth: Int = 0,
        _ member: (String, inout JSONScanner) throws(JSONError) -> Void
    ) throws(JSONError) {
        try readObjectKeys(depth: depth) { (key, s) throws(JSONError) in
            try member(String(decoding: key, as: UTF8.self), &s)
        }
    }

    /// Like `readObject`, but hands each key over as its UTF-8 bytes instead of a String:
    /// reading a journal compares keys this way without allocating.
    public mutating func readObjectKeys(
        depth: Int = 0,
        _ member: (UnsafeBufferPointer<UInt8>, inout JSONScanner) throws(JSONError) -> Void
    ) throws(JSONError) {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "expected '{'")
        guard depth < Self.maxDepth else { throw JSONError("nesting deeper than \(Self.maxDepth) levels", at: position - 1) }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                if peek() == UInt8(ascii: "}") { throw JSONError("trailing comma before '}'", at: position) }
                throw unexpected("expected a string key")
            }
            let keyStart = position
            let escaped = try skipString()
            let plain = UnsafeBufferPointer(rebasing: bytes[(keyStart + 1)..<(position - 1)])
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after object key")
            keyOffset = keyStart
            skipWhitespace()
            if escaped {
                // Rare: an escaped key. Decode it and hand over the decoded bytes.
                var copy = self
                copy.position = keyStart
                let decoded = Array(try copy.readString().utf8)
                try decoded.withUnsafeBufferPointer { (k) throws(JSONError) in try member(k, &self) }
            } else {
                try member(plain, &self)
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default: throw unexpected("expected ',' or '}' after object member")
            }
        }
    }

    /// Checks any value's grammar without building anything and returns its byte range.
    @discardableResult
    public mutating func skipValue(depth: Int = 0) throws(JSONError) -> Range<Int> {
        skipWhitespace()
        let start = position
        switch peek() {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"):
            try readObjectKeys(depth: depth) { (_, scanner) throws(JSONError) in
                try scanner.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["): try skipArray(depth: depth)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")): _ = try readNumber()
        default: throw unexpected("expected a JSON value")
        }
        return start..<position
    }

    /// The kind of value that starts at the current position, without consuming it.
    public mutating func peekKind() -> JSONKind? {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")): return .number
        default: return nil
        }
    }

    /// Throws unless only whitespace is left.
    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if position < bytes.count { throw unexpected("unexpected data after the JSON value") }
    }

    private mutating func skipArray(depth: Int) throws(JSONError) {
        try readArray(depth: depth) { (s) throws(JSONError) in try s.skipValue(depth: depth + 1) }
    }

    /// Reads an array's elements one at a time: `element` must consume each. Rejects trailing commas.
    public mutating func readArray(
        depth: Int = 0,
        _ element: (inout JSONScanner) throws(JSONError) -> Void
    ) throws(JSONError) {
        skipWhitespace()
        try expect(UInt8(ascii: "["), "expected '['")
        guard depth < Self.maxDepth else { throw JSONError("nesting deeper than \(Self.maxDepth) levels", at: position - 1) }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { throw JSONError("trailing comma before ']'", at: position) }
            try element(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw unexpected("expected ',' or ']' after array element")
            }
        }
    }

    // MARK: - Scalars

    /// Reads a number and returns its exact lexeme's range (RFC 8259 grammar: no leading zeros,
    /// no leading '+', no bare '.', digits required after '.' and after the exponent).
    public mutating func readNumber() throws(JSONError) -> Range<Int> {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw unexpected("expected a digit in number") }
        position += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw JSONError("number has a leading zero (quote it to keep it as text)", at: start)
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let d = peek(), isDigit(d) else { throw unexpected("expected a digit after '.' in number") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), isDigit(d) else { throw unexpected("expected a digit in number exponent") }
            skipDigits()
        }
        return start..<position
    }

    /// Reads `true`, `false` or `null` and returns its text.
    public mutating func readLiteral() throws(JSONError) -> String {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return "true"
        case UInt8(ascii: "f"):
            try literal("false")
            return "false"
        default:
            try literal("null")
            return "null"
        }
    }

    /// Reads a string and returns it unescaped.
    public mutating func readString() throws(JSONError) -> String {
        let open = position
        try expect(UInt8(ascii: "\""), "expected '\"'")
        let contentStart = position
        skipPlainRun()
        // Fast path: no escapes, the bytes are the string.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]), as: UTF8.self)
                position += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw controlCharacter(b) }
            position += 1
        }
        guard position < bytes.count else { throw JSONError("unterminated string", at: open) }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw controlCharacter(b) }
            if b == UInt8(ascii: "\\") {
                try readEscape(into: &out)
            } else {
                out.append(b)
                position += 1
            }
        }
        throw JSONError("unterminated string", at: open)
    }

    /// Checks a string's grammar without building it; says whether it holds an escape.
    @discardableResult
    private mutating func skipString() throws(JSONError) -> Bool {
        let open = position
        position += 1
        var escaped = false
        var scratch: [UInt8] = []
        while position < bytes.count {
            skipPlainRun()
            guard position < bytes.count else { break }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return escaped
            }
            if b < 0x20 { throw controlCharacter(b) }
            if b == UInt8(ascii: "\\") {
                escaped = true
                // Single-character escapes need no decoding here; \u is checked in full (surrogates).
                if position + 1 < bytes.count, Self.isSimpleEscape(bytes[position + 1]) {
                    position += 2
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    try readEscape(into: &scratch)
                }
            } else {
                position += 1
            }
        }
        throw JSONError("unterminated string", at: open)
    }

    @inline(__always) private static func isSimpleEscape(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(JSONError) {
        let at = position
        position += 1
        guard let e = peek() else { throw JSONError("unterminated string", at: at) }
        position += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeAt: at)
            if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONError("lone low surrogate \\u\(hex(scalar)) in string", at: at)
            }
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw JSONError("lone high surrogate \\u\(hex(scalar)) in string", at: at)
                }
                let lowAt = position
                position += 2
                let low = try readHex4(escapeAt: lowAt)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError("high surrogate \\u\(hex(scalar)) is not followed by a low surrogate", at: at)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar, to: &out)
        default:
            throw JSONError("invalid escape '\\\(describe(e))' in string", at: at)
        }
    }

    private mutating func readHex4(escapeAt: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let h = peek() else { throw JSONError("unterminated \\u escape", at: escapeAt) }
            let digit: UInt32
            switch h {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(h - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(h - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(h - UInt8(ascii: "A") + 10)
            default: throw JSONError("invalid \\u escape: '\(describe(h))' is not a hex digit", at: escapeAt)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: - Helpers

    /// Moves past string bytes eight at a time while none of them is special, then to the
    /// first special byte of the word that has one (or to where fewer than eight are left).
    @inline(__always) private mutating func skipPlainRun() {
        while position + 8 <= bytes.count {
            let special = JSONBytes.specials(JSONBytes.word(at: bytes.baseAddress! + position))
            if special != 0 {
                position += special.trailingZeroBitCount >> 3
                return
            }
            position += 8
        }
    }

    @inline(__always) private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let b = peek(), isDigit(b) { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws(JSONError) {
        guard peek() == byte else { throw unexpected(reason) }
        position += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let start = position
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in text {
            guard peek() == expected else {
                throw JSONError("invalid literal (expected '\(word)')", at: start)
            }
            position += 1
        }
    }

    private func unexpected(_ reason: String) -> JSONError {
        guard let b = peek() else { return JSONError("\(reason), found end of input (truncated JSON)", at: position) }
        return JSONError("\(reason), found '\(describe(b))'", at: position)
    }

    private func controlCharacter(_ b: UInt8) -> JSONError {
        JSONError("control character U+00\(hex(UInt32(b)).suffix(2)) in string must be escaped", at: position)
    }

    private func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "0x\(hex(UInt32(b)).suffix(2))"
    }

    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80: out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// The six kinds of JSON value.
public enum JSONKind: Sendable, Equatable {
    case string, number, bool, null, array, object
}
