/// The values a template is rendered with: one call's standard fields and its id.
public struct TemplateValues: Sendable, Equatable {
    public var fields: ReportFields
    /// The call's own id when it carries one; `{{id}}` falls back to `mid` otherwise.
    public var id: String?

    public init(fields: ReportFields, id: String? = nil) {
        self.fields = fields
        self.id = id
    }

    /// The values of a received call (an `id` key among its other keys counts as its id).
    public init(_ record: DeliveryRecord) {
        self.init(fields: record.fields, id: Self.id(in: record.extra))
    }

    /// The values of a report as the provider sends it (a JSON object or a form), read as the
    /// receiver reads a delivery.
    public init(report body: [UInt8]) throws(Rejection) {
        let parsed = try DeliveryParser().parse(query: [], contentType: nil, body: body)
        self.init(fields: parsed.fields, id: Self.id(in: parsed.extra))
    }

    /// The provider's own example report: what a preview shows before any call has arrived.
    public static let sample = TemplateValues(
        fields: ReportFields([
            .bridge: "918068280000", .from: "918919520000", .to: "918867130000", .source: "OBD", .mid: "1234-1333-00042",
            .flowID: "123", .startAt: "2021-04-09 16:27:39", .endAt: "2021-04-09 16:27:55", .duration: "23",
            .status: "ANSWER", .recordingURL: "https://youraudiofilelocation/"
        ]))

    private static func id(in extra: [NameValue]) -> String? { extra.first { $0.name == "id" }?.value }

    /// The call's value for a variable; nil when the call does not carry it.
    public func value(of name: String) -> String? {
        if name == "id" { return id ?? fields[.mid] }
        return ReportField(key: name).flatMap { fields[$0] }
    }
}

/// Where `%name%` secrets come from: `CALLDASH_SECRET_NAME` in the environment.
public struct SecretSource: Sendable {
    let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    static let prefix = "CALLDASH_SECRET_"

    /// The environment variable that holds secret `name`.
    public static func variable(for name: String) -> String { prefix + name.uppercased() }

    public func value(of name: String) -> String? { environment[Self.variable(for: name)] }

    /// Every secret's value that is set: what must be kept out of the journal, and masked
    /// wherever it might come back (a server's reply to a test).
    public var values: [String] { environment.filter { $0.key.hasPrefix(Self.prefix) && !$0.value.isEmpty }.map(\.value) }

    /// What the preview, logs and files show instead of a secret's value.
    public static let mask = "••••••"
}

/// A rendered template: the exact text to send, the same with secrets masked for display,
/// and the variables that came out empty because the call does not carry them.
public struct RenderedText: Equatable, Sendable {
    public var text: String
    public var masked: String
    public var emptyVariables: [String]
    /// Secrets not set here: they rendered as a placeholder naming the variable to export, and
    /// the request cannot be sent.
    public var unsetSecrets: [String] = []
}

extension Template {
    /// Renders for one call, escaping each value for `context`. In a URL, values before the
    /// first `?` are path text and values after it query text, and literal text is URL syntax,
    /// kept as written. A body value is one value as a whole: `escapingLiterals` escapes its
    /// literal text too, so a `"` or `&` typed into it cannot break the body.
    public func render(_ values: TemplateValues, secrets: SecretSource, context: TemplateContext, escapingLiterals: Bool = false)
        throws(TemplateError) -> RenderedText
    {
        var out = RenderedText(text: "", masked: "", emptyVariables: [])
        var context = context
        for part in parts {
            switch part {
            case .text(let t):
                let literal = escapingLiterals ? (context.escape(t) ?? t) : t
                out.text += literal
                out.masked += literal
                if context == .urlPath, t.contains("?") { context = .urlQuery }
            case .variable(let name, let column):
                let value = values.value(of: name)
                if value == nil { out.emptyVariables.append(name) }
                guard let escaped = context.escape(value ?? "") else {
                    throw TemplateError(
                        location: location, column: column, problem: "{{\(name)}} holds a line break, which a header cannot carry",
                        isAboutValues: true)
                }
                out.text += escaped
                out.masked += escaped
            case .secret(let name, let column):
                guard let value = secrets.value(of: name) else {
                    // Shown, never sent: the preview and `render` stay readable without the secret.
                    let placeholder = "‹unset \(SecretSource.variable(for: name))›"
                    out.text += placeholder
                    out.masked += placeholder
                    out.unsetSecrets.append(name)
                    continue
                }
                guard let escaped = context.escape(value) else {
                    throw TemplateError(
                        location: location, column: column, problem: "secret %\(name)% holds a line break, which a header cannot carry",
                        isAboutValues: true)
                }
                out.text += escaped
                out.masked += SecretSource.mask
            }
        }
        return out
    }
}
