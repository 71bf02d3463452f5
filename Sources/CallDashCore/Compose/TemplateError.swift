/// A template that cannot render: which field, which column (1-based, in characters), what is
/// wrong, and for a near miss the name that was probably meant.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the template is: "url", "header Authorization", "body key message_status".
    public var field: String
    public var column: Int
    public var problem: String
    public var suggestion: String?
    /// The template is right but this call or environment cannot fill it (an unset secret, a
    /// value with a line break for a header): the webhook can still be saved.
    public var isAboutValues: Bool

    public init(field: String, column: Int, problem: String, suggestion: String? = nil, isAboutValues: Bool = false) {
        self.field = field
        self.column = column
        self.problem = problem
        self.suggestion = suggestion
        self.isAboutValues = isAboutValues
    }

    public var description: String {
        "\(field), column \(column): \(problem)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}
