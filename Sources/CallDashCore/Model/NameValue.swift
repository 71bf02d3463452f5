/// A header, query parameter or extra field: name and value as they arrived, order kept.
public struct NameValue: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
