import CallDashCore

/// What the preview pane shows for a draft and a call: the request exactly as it goes on the
/// wire (secrets masked), coloured by part, or the first template error and where it is.
public struct ComposePreview: Sendable {
    /// The request, one line per wire line (the view wraps long ones).
    public var lines: [StyledLine] = []
    public var error: TemplateError?
    /// Variables the call does not carry: they rendered empty.
    public var empty: [String] = []
    /// The request to send for a test, when the draft renders.
    public var request: RenderedRequest?

    public init() {}

    /// Compiles and renders `webhook` for `values`: everything a keystroke in the editor redoes.
    public init(_ webhook: Webhook, values: TemplateValues, secrets: SecretSource) {
        do {
            let rendered = try CompiledWebhook(webhook).render(values, secrets: secrets)
            guard let wire = rendered.http(reveal: false) else {
                // A URL that starts with a secret or a variable is absolute only once they are filled:
                // the webhook can still be saved.
                let filledIn = webhook.url.hasPrefix("%") || webhook.url.hasPrefix("{{")
                error = TemplateError(
                    location: .url, column: 1, problem: "the URL must be absolute and start with http:// or https://",
                    isAboutValues: filledIn)
                return
            }
            request = rendered
            empty = Array(Set(rendered.emptyVariables)).sorted()
            lines = Self.lines(wire, format: webhook.method == .get ? nil : webhook.format)
        } catch let e {
            error = e
        }
    }

    /// Splits the wire bytes at CRLF and colours the request line, the headers and the body.
    static func lines(_ wire: [UInt8], format: Webhook.Format?) -> [StyledLine] {
        let text = String(decoding: wire, as: UTF8.self)
        guard let headEnd = text.firstRange(of: "\r\n\r\n") else { return [StyledLine([(text, .detailValue)])] }
        let head = text[..<headEnd.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
        let body = String(text[headEnd.upperBound...])
        var out: [StyledLine] = []
        if let first = head.first {
            let parts = first.split(separator: " ", maxSplits: 1).map(String.init)
            out.append(StyledLine([(parts[0], .previewMethod), (" " + (parts.count > 1 ? parts[1] : ""), .previewTarget)]))
        }
        for h in head.dropFirst() {
            let colon = h.firstIndex(of: ":") ?? h.endIndex
            out.append(StyledLine([(String(h[..<colon]), .previewHeader), (String(h[colon...]), .detailValue)]))
        }
        out.append(StyledLine())
        guard !body.isEmpty else { return out }
        switch format {
        case .json: out.append(StyledLine(jsonSpans(body)))
        case .form: out.append(StyledLine(formSpans(body)))
        case .multipart:
            for line in body.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast() {
                out.append(
                    StyledLine([
                        (
                            String(line),
                            line.hasPrefix("--") ? .jsonPunctuation : line.hasPrefix("Content-Disposition") ? .previewHeader : .jsonString
                        )
                    ]))
            }
        case nil: out.append(StyledLine([(body, .detailValue)]))
        }
        return out
    }

    /// A compact JSON object's tokens: keys, string values and punctuation. Quotes and
    /// backslashes are ASCII, so the scan steps through UTF-8 (the preview redoes it per keystroke).
    static func jsonSpans(_ s: String) -> [(String, ThemeRole)] {
        var out: [(String, ThemeRole)] = []
        let u = s.utf8
        var i = u.startIndex
        while i < u.endIndex {
            var j = u.index(after: i)
            if u[i] == UInt8(ascii: "\"") {
                while j < u.endIndex, u[j] != UInt8(ascii: "\"") {
                    j = u.index(after: u[j] == UInt8(ascii: "\\") && u.index(after: j) < u.endIndex ? u.index(after: j) : j)
                }
                if j < u.endIndex { j = u.index(after: j) }
                out.append((String(s[i..<j]), j < u.endIndex && u[j] == UInt8(ascii: ":") ? .jsonKey : .jsonString))
            } else {
                while j < u.endIndex, u[j] != UInt8(ascii: "\"") { j = u.index(after: j) }
                out.append((String(s[i..<j]), .jsonPunctuation))
            }
            i = j
        }
        return out
    }

    /// `a=1&b=2`: keys, values and the separators.
    static func formSpans(_ s: String) -> [(String, ThemeRole)] {
        var out: [(String, ThemeRole)] = []
        for (n, pair) in s.split(separator: "&", omittingEmptySubsequences: false).enumerated() {
            if n > 0 { out.append(("&", .jsonPunctuation)) }
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out.append((String(kv[0]), .jsonKey))
            if kv.count > 1 { out += [("=", .jsonPunctuation), (String(kv[1]), .jsonString)] }
        }
        return out
    }
}
