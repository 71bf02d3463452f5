/// One member of a JSON object, its value reduced to text: a string's unescaped contents,
/// a number's or literal's exact lexeme, or a nested array's or object's exact JSON text.
public struct JSONFlatMember: Sendable, Equatable {
    public var key: String
    public var kind: JSONKind
    public var text: String

    public init(key: String, kind: JSONKind, text: String) {
        self.key = key
        self.kind = kind
        self.text = text
    }
}

/// Reads a document that must be one JSON object into its members, in order.
public enum JSONFlatObject {
    /// Up to how many keys a repeat is looked for by a linear scan: reports have a dozen keys,
    /// and a scan beats hashing until objects get large.
    static let linearSearchLimit = 32

    /// Parses `bytes` (already valid UTF-8) strictly (RFC 8259). A key that appears twice is
    /// legal JSON: every member is kept, in order; a reader of fields lets the last one win.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [JSONFlatMember] {
        var members: [JSONFlatMember] = []
        try forEachMember(bytes) { key, kind, text in members.append(JSONFlatMember(key: key, kind: kind, text: text)) }
        return members
    }

    /// Calls `body` with each member in order, without collecting them.
    /// Returns the keys that appeared more than once, each once, in the order they repeated.
    @discardableResult
    public static func forEachMember(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (String, JSONKind, String) -> Void
    ) throws(JSONError) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(16)
        var seen: Set<String> = []
        var repeated: [String] = []
        try forEachMemberKey(bytes) { (k, kind, text) in
            let key = String(decoding: k, as: UTF8.self)
            let duplicate = keys.count < linearSearchLimit ? keys.contains(key) : !seen.insert(key).inserted
            if keys.count == linearSearchLimit - 1 { seen = Set(keys + [key]) }
            if duplicate {
                if !repeated.contains(key) { repeated.append(key) }
            } else {
                keys.append(key)
            }
            body(key, kind, text)
        }
        return repeated
    }

    /// Calls `body` with each member in order, its key as UTF-8 bytes (valid only during the
    /// call, unescaped): the receiver's hot path looks keys up without making a String of each.
    public static func forEachMemberKey(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, JSONKind, String) -> Void
    ) throws(JSONError) {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        if let kind = scanner.peekKind(), kind != .object {
            throw JSONError("expected a JSON object, found \(kind.article)", at: scanner.position)
        }
        try scanner.readObjectKeys { (key, s) throws(JSONError) in body(key, s.peekKind() ?? .null, try s.readText(bytes)) }
        try scanner.expectEnd()
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> [JSONFlatMember] {
        try bytes.withUnsafeBufferPointer { (p) throws(JSONError) in try parse(p) }
    }
}

extension JSONScanner {
    /// Reads the value at the current position as text (see `JSONFlatMember`).
    public mutating func readText(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> String {
        switch peekKind() {
        case .string:
            return try readString()
        case .number:
            let r = try readNumber()
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        case .bool, .null:
            return try readLiteral()
        case .array, .object, nil:
            let r = try skipValue(depth: 1)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        }
    }
}

extension JSONKind {
    /// "an array", "a string", … for error messages.
    public var article: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
