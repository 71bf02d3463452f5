/// Masks secrets (the receiver's `--token`, compose `%secrets%`) wherever a request could carry them, so they never
/// reach the journal, `serve`'s output or the API.
public struct SecretRedactor: Sendable {
    public static let mask = "***"
    private let secrets: [String]
    /// Credentials in Authorization headers are masked even when no secret is matched in them.
    private let masksAuthorization: Bool

    public init(secrets: [String], maskingAuthorization: Bool = false) {
        self.secrets = secrets.filter { !$0.isEmpty }
        masksAuthorization = maskingAuthorization || !self.secrets.isEmpty
    }

    public func redact(_ r: inout DeliveryRecord) {
        guard masksAuthorization else { return }
        for i in r.headers.indices {
            if r.headers[i].name.lowercased() == "authorization" {
                // Mask the credential even when it is wrong: it may be a near miss of the real one.
                let value = r.headers[i].value
                let scheme = value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                r.headers[i].value = value.contains(" ") ? "\(scheme) \(Self.mask)" : Self.mask
            } else {
                r.headers[i].value = redact(r.headers[i].value)
            }
        }
        r.path = redact(r.path)
        for i in r.query.indices { r.query[i].value = redact(r.query[i].value) }
        for i in r.extra.indices { r.extra[i].value = redact(r.extra[i].value) }
        for f in ReportField.allCases { if let v = r.fields[f] { r.fields[f] = redact(v) } }
        if let e = r.error { r.error = redact(e) }
        r.raw = redact(r.raw)
    }

    public func redact(_ s: String) -> String {
        var out = s
        for secret in secrets where out.contains(secret) {
            out = out.replacing(secret, with: Self.mask)
        }
        return out
    }

    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        secrets.reduce(bytes) { out, secret in out.replacing(Array(secret.utf8), with: Array(Self.mask.utf8)) }
    }
}
