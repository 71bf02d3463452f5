/// The exact request a webhook sends for one call: what the preview shows and the sender
/// sends, byte for byte. The `masked` forms hide secrets for display.
public struct RenderedRequest: Equatable, Sendable {
    public var method: String
    public var url: String
    public var headers: [NameValue]
    public var body: [UInt8]
    public var maskedURL: String
    public var maskedHeaders: [NameValue]
    public var maskedBody: [UInt8]
    /// Variables the call does not carry; they rendered empty.
    public var emptyVariables: [String]
    /// Secrets not set here (see `RenderedText.unsetSecrets`): such a request is shown, never sent.
    public var unsetSecrets: [String] = []

    /// Gives it `Authorization: Bearer token` in place of its own, masked where it is shown.
    public mutating func authorize(bearer token: String) {
        headers = headers.filter { $0.name.lowercased() != "authorization" } + [NameValue("Authorization", "Bearer " + token)]
        maskedHeaders =
            maskedHeaders.filter { $0.name.lowercased() != "authorization" } + [NameValue("Authorization", "Bearer " + SecretSource.mask)]
    }

    /// Why it cannot be sent, when a secret it needs is not set.
    public var unsendable: String? {
        guard let name = unsetSecrets.first else { return nil }
        return "secret %\(name)% is not set: export \(SecretSource.variable(for: name))"
    }
}

extension Webhook {
    /// Renders once; to render for many calls, compile once with `CompiledWebhook`.
    public func render(_ values: TemplateValues, secrets: SecretSource) throws(TemplateError) -> RenderedRequest {
        try CompiledWebhook(self).render(values, secrets: secrets)
    }
}

/// A webhook with its templates parsed and its header names checked, rendered for many calls
/// (`push --webhook`, the live preview) without parsing them again.
public struct CompiledWebhook: Sendable {
    public let webhook: Webhook
    let url: Template
    let headers: [(name: String, value: Template)]
    let body: [(key: String, value: Template)]

    public init(_ webhook: Webhook) throws(TemplateError) {
        self.webhook = webhook
        url = try Template(webhook.url, location: .url)
        try Self.refuse(in: webhook.url, at: .url, "a URL cannot hold spaces or control characters: write %20 for a space") {
            // ASCII first: Unicode's whitespace property is slow, and the preview checks per keystroke.
            $0.value <= 0x20 || $0.value == 0x7F || ($0.value > 0x7F && $0.properties.isWhitespace)
        }
        var headers: [(name: String, value: Template)] = []
        for (i, h) in webhook.headers.enumerated() {
            guard !h.name.isEmpty, h.name.utf8.allSatisfy(Self.isTokenByte) else {
                throw TemplateError(location: .headerName(i, name: h.name), column: 1, problem: "\"\(h.name)\" is not a valid header name")
            }
            try Self.refuse(in: h.value, at: .headerValue(i, name: h.name), "a header value cannot hold a line break or NUL") {
                $0 == "\r" || $0 == "\n" || $0 == "\0"
            }
            headers.append((h.name, try Template(h.value, location: .headerValue(i, name: h.name))))
        }
        self.headers = headers
        var body: [(key: String, value: Template)] = []
        for (i, b) in webhook.body.enumerated() { body.append((b.name, try Template(b.value, location: .bodyValue(i, key: b.name)))) }
        self.body = body
    }

    public func render(_ values: TemplateValues, secrets: SecretSource) throws(TemplateError) -> RenderedRequest {
        let method = webhook.method
        let format = webhook.format
        var empty: [String] = []
        var unset: [String] = []
        func text(_ t: Template, _ context: TemplateContext, literals: Bool = false) throws(TemplateError) -> RenderedText {
            let r = try t.render(values, secrets: secrets, context: context, escapingLiterals: literals)
            empty += r.emptyVariables
            unset += r.unsetSecrets.filter { !unset.contains($0) }
            return r
        }
        var url = try text(self.url, .urlPath)
        var headers: [NameValue] = []
        var masked: [NameValue] = []
        for h in self.headers {
            let v = try text(h.value, .header)
            headers.append(NameValue(h.name, v.text))
            masked.append(NameValue(h.name, v.masked))
        }
        // Body values, each rendered for the context its format puts it in.
        let context: TemplateContext
        switch (method, format) {
        case (.get, _): context = .urlQuery
        case (_, .json): context = .jsonString
        case (_, .form): context = .formValue
        case (_, .multipart): context = .multipartValue
        }
        var pairs: [(key: String, value: RenderedText)] = []
        for b in self.body { pairs.append((b.key, try text(b.value, context, literals: true))) }

        var body: [UInt8] = []
        var maskedBody: [UInt8] = []
        var contentType: String?
        if method == .get {
            if !pairs.isEmpty {
                let sep = url.text.contains("?") ? "&" : "?"
                let q = { (m: Bool) in
                    pairs.map { TemplateContext.percentEncoded($0.key, spaceAsPlus: false) + "=" + (m ? $0.value.masked : $0.value.text) }
                        .joined(separator: "&")
                }
                url.text += sep + q(false)
                url.masked += sep + q(true)
            }
        } else {
            switch format {
            case .json:
                let j = { (m: Bool) in
                    "{"
                        + pairs.map { "\"\(TemplateContext.jsonEscaped($0.key))\":\"\(m ? $0.value.masked : $0.value.text)\"" }.joined(
                            separator: ",") + "}"
                }
                body = Array(j(false).utf8)
                maskedBody = Array(j(true).utf8)
                contentType = "application/json"
            case .form:
                let f = { (m: Bool) in
                    pairs.map { TemplateContext.percentEncoded($0.key, spaceAsPlus: true) + "=" + (m ? $0.value.masked : $0.value.text) }
                        .joined(separator: "&")
                }
                body = Array(f(false).utf8)
                maskedBody = Array(f(true).utf8)
                contentType = "application/x-www-form-urlencoded"
            case .multipart:
                let boundary = Self.boundary(seededBy: pairs.map(\.value.masked), avoiding: pairs.map(\.value.text))
                let m = { (masked: Bool) -> String in
                    pairs.map { p in
                        let name = p.key.replacingAll("\"", with: "%22").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
                        return
                            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(masked ? p.value.masked : p.value.text)\r\n"
                    }.joined() + "--\(boundary)--\r\n"
                }
                body = Array(m(false).utf8)
                maskedBody = Array(m(true).utf8)
                contentType = "multipart/form-data; boundary=\(boundary)"
            }
        }
        if let contentType, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.insert(NameValue("Content-Type", contentType), at: 0)
            masked.insert(NameValue("Content-Type", contentType), at: 0)
        }
        return RenderedRequest(
            method: method.rawValue, url: url.text, headers: headers, body: body, maskedURL: url.masked,
            maskedHeaders: masked, maskedBody: maskedBody, emptyVariables: empty, unsetSecrets: unset)
    }

    /// Literal text that cannot go on the wire, reported at its column (in characters).
    private static func refuse(in source: String, at location: TemplateLocation, _ problem: String, where bad: (Unicode.Scalar) -> Bool)
        throws(TemplateError)
    {
        guard let at = source.unicodeScalars.firstIndex(where: bad) else { return }
        throw TemplateError(location: location, column: source[..<at].count + 1, problem: problem)
    }

    /// RFC 9110 token characters, the only ones a header name may hold.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    /// A multipart boundary that none of the values contains.
    /// A boundary found in none of `values`, the same for the same masked values: seeded by what
    /// may be shown, so the boundary (which is shown) reveals nothing of a secret.
    static func boundary(seededBy masked: [String], avoiding values: [String]) -> String {
        var seed: UInt64 = 0xCA11_DA5B
        for v in masked { for b in v.utf8 { seed = (seed ^ UInt64(b)) &* 0x100_0000_01B3 } }
        var rng = SplitMix64(seed: seed)
        while true {
            let b = "calldash-" + String(rng.next(), radix: 36)
            if !values.contains(where: { $0.contains(b) }) { return b }
        }
    }
}
