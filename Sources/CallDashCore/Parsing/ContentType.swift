/// A parsed `Content-Type` header: the lower-cased media type and its parameters.
public struct ContentType: Sendable, Equatable {
    public var mediaType: String
    public var parameters: [String: String]

    public init?(_ header: String) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let media = first.trimmingSpaces().lowercased()
        guard !media.isEmpty else { return nil }
        mediaType = media
        parameters = [:]
        for p in parts.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            let name = p[..<eq].trimmingSpaces().lowercased()
            var value = p[p.index(after: eq)...].trimmingSpaces()
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            parameters[name] = value
        }
    }

    public var isJSON: Bool { mediaType == "application/json" || mediaType.hasSuffix("+json") }
    public var isForm: Bool { mediaType == "application/x-www-form-urlencoded" }
    public var isMultipartForm: Bool { mediaType == "multipart/form-data" }
}

extension StringProtocol {
    /// Trims spaces and tabs (header whitespace), not every Unicode space.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
