import Foundation

/// Masks secrets (the receiver's `--token`, compose `%secrets%`) wherever a request could carry
/// them, so they never reach the journal, `serve`'s output or the API.
///
/// A secret is looked for in every form this program writes it in: as typed, percent-encoded
/// (URL path and query, upper- or lower-case hex), form-encoded, JSON-escaped and base64 (also
/// inside a longer encoded text); and in text whose escapes spell it (`%73`, `\u0073`). A
/// secret of six characters or more is masked wherever it appears; a shorter one (a PIN) only
/// where it stands alone — not inside a longer run of letters and digits — so that masking
/// `4711` never mangles a phone number that happens to contain it.
public struct SecretRedactor: Sendable {
    public static let mask = "***"
    /// Every form of every secret, longest first (a form that contains another goes first).
    private let forms: [Form]
    /// Credentials in Authorization headers are masked even when no secret is matched in them.
    private let masksAuthorization: Bool
    /// A secret holds a space: a form's `+` may stand for it.
    private let hasSpace: Bool

    private struct Form: Sendable {
        var bytes: [UInt8]
        /// Only where the bytes around it are not letters or digits.
        var standalone: Bool
    }

    public init(secrets: [String], maskingAuthorization: Bool = false) {
        var forms: [Form] = []
        var seen: Set<[UInt8]> = []
        for secret in secrets where !secret.isEmpty {
            let standalone = secret.count < 6
            for form in Self.encodings(of: secret) where !form.isEmpty && seen.insert(form).inserted {
                forms.append(Form(bytes: form, standalone: standalone))
            }
        }
        self.forms = forms.sorted { $0.bytes.count > $1.bytes.count }
        masksAuthorization = maskingAuthorization || !forms.isEmpty
        hasSpace = secrets.contains { $0.contains(" ") }
    }

    /// The secret as typed and as each escaping context writes it.
    static func encodings(of secret: String) -> [[UInt8]] {
        let percent = TemplateContext.percentEncoded(secret, spaceAsPlus: false)
        let form = TemplateContext.percentEncoded(secret, spaceAsPlus: true)
        let base64 = Data(secret.utf8).base64EncodedString()
        // Encoders that leave out the padding, and the URL-safe alphabet (JWTs, signed URLs).
        let unpadded = String(base64.reversed().drop { $0 == "=" }.reversed())
        let urlSafe = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let json = TemplateContext.jsonEscaped(secret)
        // Some JSON writers also escape "/".
        let jsonSlashes = json.replacingOccurrences(of: "/", with: "\\/")
        let whole = [
            secret, percent, Self.lowercasedHex(percent), form, Self.lowercasedHex(form), json, jsonSlashes, base64, unpadded, urlSafe
        ]
        return (whole + (secret.count < 6 ? [] : Self.base64Cores(of: Array(secret.utf8)))).map { Array($0.utf8) }
    }

    /// The base64 characters that spell `secret` inside a longer encoded text (a multipart part,
    /// a Basic credential): one run for each of the three places it can start in a group of
    /// three bytes, without the characters it shares with the bytes around it. Also URL-safe.
    static func base64Cores(of secret: [UInt8]) -> [String] {
        (0..<3).flatMap { lead -> [String] in
            let encoded = Array(Data([UInt8](repeating: 0, count: lead) + secret).base64EncodedString().utf8)
            // Character k holds bits 6k..<6k+6 of the bytes: it is the secret's alone when those
            // bits lie within the secret's, bits 8·lead..<8·(lead + count).
            let first = (8 * lead + 5) / 6
            let end = 8 * (lead + secret.count) / 6
            guard end - first >= 6 else { return [] }
            let core = String(decoding: encoded[first..<end], as: UTF8.self)
            return [core, core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")]
        }
    }

    /// `%2B` → `%2b`: some encoders write lower-case hex.
    private static func lowercasedHex(_ s: String) -> String {
        var out: [UInt8] = []
        var afterPercent = 0
        for b in s.utf8 {
            if b == UInt8(ascii: "%") {
                afterPercent = 2
                out.append(b)
            } else if afterPercent > 0 {
                afterPercent -= 1
                out.append(b >= 0x41 && b <= 0x46 ? b + 0x20 : b)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
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
            // A secret may be sent as a name too (`?<token>=1`, a header or JSON key named by it).
            r.headers[i].name = redact(r.headers[i].name)
        }
        r.path = redact(r.path)
        for i in r.query.indices { r.query[i] = NameValue(redact(r.query[i].name), redact(r.query[i].value)) }
        for i in r.extra.indices { r.extra[i] = NameValue(redact(r.extra[i].name), redact(r.extra[i].value)) }
        for f in ReportField.allCases { if let v = r.fields[f] { r.fields[f] = redact(v) } }
        if let e = r.error { r.error = redact(e) }
        r.raw = redact(r.raw)
    }

    public func redact(_ s: String) -> String {
        guard !forms.isEmpty else { return s }
        let bytes = Array(s.utf8)
        let out = redact(bytes)
        return out == bytes ? s : String(decoding: out, as: UTF8.self)
    }

    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard !forms.isEmpty, !bytes.isEmpty else { return bytes }
        var out = bytes
        for form in forms where out.count >= form.bytes.count {
            out = Self.masking(Self.matches(of: form, in: out), in: out)
        }
        // A peer may escape characters no encoder has to (`\u0073…`, `%73…`): the secret is
        // looked for in the decoded text too, and masked where its escapes stand.
        // Each view decodes the text as the one before it left it.
        let decoders: [([UInt8]) -> EscapedText?] = [EscapedText.jsonUnescaped, { EscapedText.percentDecoded($0, plusAsSpace: hasSpace) }]
        for decode in decoders {
            guard let view = decode(out) else { continue }
            let found = forms.flatMap { form in Self.matches(of: form, in: view.bytes).map(view.source(of:)) }
            if !found.isEmpty { out = Self.masking(found, in: out) }
        }
        return out
    }

    /// Where `form` appears in `bytes` (not overlapping, in order).
    private static func matches(of form: Form, in bytes: [UInt8]) -> [Range<Int>] {
        let needle = form.bytes
        guard let first = needle.first, bytes.count >= needle.count else { return [] }
        func isWordByte(_ k: Int) -> Bool {
            guard k >= 0, k < bytes.count else { return false }
            let b = bytes[k]
            return (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b >= 0x80
        }
        /// A standalone secret may follow a separator, or an escape that ends in a letter or
        /// digit (`%2F4711`, `\n4711`): the escape stands for the separator.
        func startsWord(_ k: Int) -> Bool {
            guard isWordByte(k - 1) else { return true }
            if k >= 2, bytes[k - 2] == 0x5C { return true }
            func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
            return k >= 3 && bytes[k - 3] == 0x25 && isHex(bytes[k - 2]) && isHex(bytes[k - 1])
        }
        var found: [Range<Int>] = []
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle),
                !form.standalone || (startsWord(i) && !isWordByte(i + needle.count))
            {
                found.append(i..<(i + needle.count))
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    /// `bytes` with each range (they may overlap, in any order) replaced by one mask.
    private static func masking(_ ranges: [Range<Int>], in bytes: [UInt8]) -> [UInt8] {
        guard !ranges.isEmpty else { return bytes }
        let mask = Array(Self.mask.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var next = 0
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if r.lowerBound >= next {
                out.append(contentsOf: bytes[next..<r.lowerBound])
                out.append(contentsOf: mask)
            }
            next = max(next, r.upperBound)
        }
        out.append(contentsOf: bytes[next...])
        return out
    }
}
