/// Reading and writing `<id>.json` webhook files: strict JSON, every problem with its line,
/// and a stable, hand-editable layout when written.
extension Webhook {
    public init(file bytes: [UInt8], path: String) throws(WebhookFileError) {
        func line(at offset: Int) -> Int { bytes.prefix(max(0, offset)).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } }
        func fail(_ offset: Int, _ problem: String) -> WebhookFileError {
            WebhookFileError(file: path, line: line(at: offset), problem: problem)
        }
        var id: Int?
        var name: String?
        var method: Method?
        var format: Format?
        var url: String?
        var headers: [NameValue] = []
        var body: [NameValue] = []
        try bytes.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) throws(WebhookFileError) in
            var s = JSONScanner(p)
            do throws(JSONError) {
                try s.readObject { (key, s) throws(JSONError) in
                    let at = s.position
                    switch key {
                    case "id":
                        let r = try s.readNumber()
                        guard let v = Int(String(decoding: p[r], as: UTF8.self)) else {
                            throw JSONError("\"id\" must be a whole number", at: at)
                        }
                        id = v
                    case "name": name = try s.readString()
                    case "url": url = try s.readString()
                    case "method":
                        let m = try s.readString()
                        guard let v = Method(rawValue: m.uppercased()) else {
                            throw JSONError("unknown method \"\(m)\": use GET, POST or PUT", at: at)
                        }
                        method = v
                    case "format":
                        let f = try s.readString()
                        guard let v = Format(rawValue: f.lowercased()) else {
                            throw JSONError("unknown format \"\(f)\": use json, form or multipart", at: at)
                        }
                        format = v
                    case "headers": headers = try Self.pairs(&s, keyName: "name", what: "header")
                    case "body":
                        body = try Self.pairs(&s, keyName: "key", what: "body key")
                        var seen = Set<String>()
                        for b in body where !seen.insert(b.name).inserted {
                            throw JSONError("body key \"\(b.name)\" appears twice", at: at)
                        }
                    default: throw JSONError("unknown key \"\(key)\"", at: s.keyOffset)
                    }
                }
                try s.expectEnd()
            } catch {
                throw fail(error.offset, error.reason)
            }
        }
        guard let url else { throw fail(0, "no \"url\"") }
        // A file written by hand without an id is the webhook its name says (7.json: 7).
        self.init(
            id: id ?? WebhookFolder.namedID(path) ?? 0, name: name ?? "", method: method ?? .post, format: format ?? .json, url: url,
            headers: headers, body: body)
    }

    /// `[{"name": …, "value": …}, …]` (or "key" for body entries).
    private static func pairs(_ s: inout JSONScanner, keyName: String, what: String) throws(JSONError) -> [NameValue] {
        var out: [NameValue] = []
        try s.readArray { (s) throws(JSONError) in
            let at = s.position
            var n: String?
            var v: String?
            try s.readObject { (k, s) throws(JSONError) in
                switch k {
                case keyName: n = try s.readString()
                case "value": v = try s.readString()
                default: throw JSONError("unknown key \"\(k)\" in a \(what)", at: s.keyOffset)
                }
            }
            guard let n, let v else { throw JSONError("a \(what) needs \"\(keyName)\" and \"value\"", at: at) }
            out.append(NameValue(n, v))
        }
        return out
    }

    /// The file's text, laid out as PRODUCT.md shows it.
    public var fileText: String {
        func q(_ s: String) -> String { "\"" + TemplateContext.jsonEscaped(s) + "\"" }
        func list(_ items: [NameValue], _ key: String) -> String {
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { "    { \(q(key)): \(q($0.name)), \"value\": \(q($0.value)) }" }.joined(separator: ",\n") + "\n  ]"
        }
        return """
            {
              "id": \(id),
              "name": \(q(name)),
              "method": \(q(method.rawValue)),
              "format": \(q(format.rawValue)),
              "url": \(q(url)),
              "headers": \(list(headers, "name")),
              "body": \(list(body, "key"))
            }

            """
    }
}
