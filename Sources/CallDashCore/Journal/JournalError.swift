/// A journal problem worth one readable line: which file, where, and what is wrong.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    static func system(_ what: String, _ path: String, errno code: Int32) -> JournalError {
        JournalError("cannot \(what) journal \(path): \(String(cString: strerror(code)))")
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
