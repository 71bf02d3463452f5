/// Reads a received compose payload back into the standard fields through the webhook that
/// produced it, so a renamed key (`message_status: {{status}}`) still shows as the status.
///
/// A delivery maps through webhook W when it carries `webhook_id` W (body or query), or when its
/// path matches W's URL path and it has every one of W's body keys (W must have at least one, or
/// every delivery to that path would claim it).
public struct WebhookMapping: Sendable {
    struct Entry: Sendable {
        let id: Int
        /// W's URL path as a pattern over the raw (percent-encoded) request path.
        let path: [Template.Part]?
        /// Body keys and the URL's query keys, each with the parts of its value template.
        let keys: [String: [Template.Part]]
        let bodyKeys: [String]
    }

    let entries: [Entry]

    public init(_ webhooks: [Webhook]) {
        entries = webhooks.sorted { $0.id < $1.id }.map(Self.entry)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The webhook's id and the fields and extras its keys map to; nil when no webhook claims it.
    /// `pairs` are the delivery's merged query and body fields, `path` its raw request path.
    public func map(path: String, pairs: [NameValue]) -> (webhook: Int, fields: ReportFields, extra: [NameValue])? {
        guard let entry = claimant(path: path, pairs: pairs) else { return nil }
        var fields = ReportFields()
        var extra: [NameValue] = []
        var mapped: [(String, String)] = []
        for pair in pairs {
            if let parts = entry.keys[pair.name], parts.contains(where: \.isVariable),
                let captures = Self.match(parts, pair.value[...])
            {
                mapped += captures
            } else if let f = ReportField(key: pair.name) {
                fields[f] = pair.value
            } else {
                extra.append(pair)
            }
        }
        if let parts = entry.path, let captures = Self.match(parts, path[...]) {
            mapped += captures.map { ($0.0, FormURLEncoding.percentDecoded($0.1) ?? $0.1) }
        }
        // A mapped value wins over a standard key of the same name; `{{id}}` is the mid when
        // nothing else gave one (rendering falls back the same way).
        var id: String?
        for (name, value) in mapped {
            if let f = ReportField(key: name) { fields[f] = value } else if name == "id" { id = value }
        }
        if let id, fields[.mid] == nil { fields[.mid] = id }
        return (entry.id, fields, extra)
    }

    private func claimant(path: String, pairs: [NameValue]) -> Entry? {
        if let given = pairs.last(where: { $0.name == ReportField.webhookID.rawValue }).flatMap({ Int($0.value) }),
            let entry = entries.first(where: { $0.id == given })
        {
            return entry
        }
        let names = Set(pairs.map(\.name))
        return entries.first { entry in
            guard !entry.bodyKeys.isEmpty, let pattern = entry.path, Self.match(pattern, path[...]) != nil else { return false }
            return entry.bodyKeys.allSatisfy(names.contains)
        }
    }

    private static func entry(_ w: Webhook) -> Entry {
        var keys: [String: [Template.Part]] = [:]
        let (pathSource, querySource) = split(url: w.url)
        for item in querySource.split(separator: "&") {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, let key = FormURLEncoding.percentDecoded(String(kv[0]).replacingAll("+", with: " ")),
                let t = try? Template(String(kv[1]), location: .url)
            else { continue }
            keys[key] = t.parts
        }
        for (i, b) in w.body.enumerated() {
            if let t = try? Template(b.value, location: .bodyValue(i, key: b.name)) { keys[b.name] = t.parts }
        }
        let path = pathSource.flatMap { try? Template($0, location: .url).parts }
        return Entry(id: w.id, path: path, keys: keys, bodyKeys: w.body.map(\.name))
    }

    /// The path template (from the first `/` after the authority up to `?`) and the query source.
    static func split(url: String) -> (path: String?, query: Substring) {
        let (beforeQuery, query) = url.splitAtQuery()
        guard let scheme = beforeQuery.firstRange(of: "://") else { return (nil, query ?? "") }
        let rest = beforeQuery[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return ("/", query ?? "") }
        return (String(rest[slash...]), query ?? "")
    }

    /// Matches a value against a template's parts, returning what each variable captured. A
    /// variable takes the shortest text up to the literal after it; two placeholders in a row
    /// cannot be told apart, so such a template does not match.
    static func match(_ parts: [Template.Part], _ value: Substring) -> [(String, String)]? {
        var rest = value
        var captures: [(String, String)] = []
        var i = 0
        while i < parts.count {
            switch parts[i] {
            case .text(let t):
                guard rest.hasPrefix(t) else { return nil }
                rest = rest.dropFirst(t.count)
            case .variable, .secret:
                let end: Substring.Index
                if i + 1 == parts.count {
                    end = rest.endIndex
                } else if case .text(let next) = parts[i + 1], let r = rest.firstRange(of: next) {
                    end = r.lowerBound
                } else {
                    return nil
                }
                if case .variable(let name, _) = parts[i] { captures.append((name, String(rest[..<end]))) }
                rest = rest[end...]
            }
            i += 1
        }
        return rest.isEmpty ? captures : nil
    }
}

extension Template.Part {
    var isVariable: Bool { if case .variable = self { true } else { false } }
}
