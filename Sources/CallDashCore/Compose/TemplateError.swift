/// A template that cannot render: which field, which column (1-based, in characters), what is
/// wrong, and for a near miss the name that was probably meant.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the template is: "url", "header Authorization", "body key message_status".
    public var field: String
    public var column: Int
    public var problem: String
    public var suggestion: String?

    public init(field: String, column: Int, problem: String, suggestion: String? = nil) {
        self.field = field
        self.column = column
        self.problem = problem
        self.suggestion = suggestion
    }

    public var description: String {
        "\(field), column \(column): \(problem)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}
