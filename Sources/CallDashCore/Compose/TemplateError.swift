/// A template that cannot render: which field, which column (1-based, in characters), what is
/// wrong, and for a near miss the name that was probably meant.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which of the webhook's templates it is in.
    public var location: TemplateLocation
    public var column: Int
    public var problem: String
    /// The variable that was probably meant (for an unknown one).
    public var suggestion: String?
    /// The template is right but this call or environment cannot fill it (an unset secret, a
    /// value with a line break for a header): the webhook can still be saved.
    public var isAboutValues: Bool

    public init(location: TemplateLocation, column: Int, problem: String, suggestion: String? = nil, isAboutValues: Bool = false) {
        self.location = location
        self.column = column
        self.problem = problem
        self.suggestion = suggestion
        self.isAboutValues = isAboutValues
    }

    public var description: String {
        "\(location), column \(column): \(problem)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}

/// Where in a webhook a template is: the editor marks that row, the error names it in words.
/// Rows are by index, so two headers of the same name are told apart.
public enum TemplateLocation: Hashable, Sendable, CustomStringConvertible {
    case url
    /// The name of the header at this index (a name is checked, not templated).
    case headerName(Int, name: String)
    case headerValue(Int, name: String)
    case bodyValue(Int, key: String)

    /// "url", "header name X Bad", "header Authorization", "body key to".
    public var description: String {
        switch self {
        case .url: "url"
        case .headerName(_, let name): "header name \(name)"
        case .headerValue(_, let name): "header \(name)"
        case .bodyValue(_, let key): "body key \(key)"
        }
    }
}
