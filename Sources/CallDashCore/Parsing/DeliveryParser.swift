/// Decodes `multipart/form-data` bodies into fields. The receiver supplies it (the library that
/// does it lives above the core), so the core stays free of networking types.
public protocol MultipartFieldDecoder: Sendable {
    func fields(in body: [UInt8], boundary: String) throws(Rejection) -> [NameValue]
}

/// Bounds on what one delivery may carry.
public struct DeliveryLimits: Sendable {
    public var maxBodyBytes: Int
    public var maxFields: Int

    public init(maxBodyBytes: Int = 1 << 20, maxFields: Int = 1000) {
        self.maxBodyBytes = maxBodyBytes
        self.maxFields = maxFields
    }
}

/// What a delivery's body and query string amount to.
public struct ParsedDelivery: Sendable, Equatable {
    public var fields: ReportFields
    public var extra: [NameValue]
    /// The compose webhook whose keys filled the fields, if one claimed the delivery.
    public var webhook: Int?
}

/// Turns a request's query string and body into report fields, or a rejection that says why.
public struct DeliveryParser: Sendable {
    public var limits: DeliveryLimits
    public var multipart: (any MultipartFieldDecoder)?
    /// The compose webhooks a payload may be mapped back through.
    public var webhooks: WebhookRegistry?
    /// Whether a plain JSON report is read field by field (`standardFields`); off only where
    /// tests and the fuzzer check it against the general merge.
    var readsJSONByField = true

    public init(limits: DeliveryLimits = DeliveryLimits(), multipart: (any MultipartFieldDecoder)? = nil, webhooks: WebhookRegistry? = nil)
    {
        self.limits = limits
        self.multipart = multipart
        self.webhooks = webhooks
    }

    /// Merges query and body fields (the body wins a clash) and splits standard fields from
    /// extras, through a compose webhook when one claims the delivery (see `WebhookMapping`).
    public func parse(path: String = "/", query: [NameValue], contentType: String?, body: [UInt8]) throws(Rejection) -> ParsedDelivery {
        if body.count > limits.maxBodyBytes {
            throw Rejection(413, "body of \(body.count) bytes exceeds the \(limits.maxBodyBytes)-byte limit")
        }
        let format = try bodyFormat(contentType: contentType, body: body)
        if case .json = format, readsJSONByField, query.isEmpty, webhooks?.mapping.isEmpty ?? true {
            return try standardFields(json: body) // the common case, read without a list of pairs
        }
        let (bodyPairs, bodyKeysUnique) = try bodyFields(format, body: body)
        var merged: [NameValue]
        if query.isEmpty && bodyKeysUnique {
            merged = bodyPairs // nothing to merge
        } else {
            merged = []
            merged.reserveCapacity(query.count + bodyPairs.count)
            var index: [String: Int] = [:]
            // Later values win: a repeated query key keeps its last value, and any body key overrides the query.
            for pair in query + bodyPairs {
                if let i = index[pair.name] {
                    merged[i].value = pair.value
                } else {
                    index[pair.name] = merged.count
                    merged.append(pair)
                }
            }
        }
        try check(fieldCount: merged.count)
        if let mapping = webhooks?.mapping, !mapping.isEmpty, let mapped = mapping.map(path: path, pairs: merged) {
            return ParsedDelivery(fields: mapped.fields, extra: mapped.extra, webhook: mapped.webhook)
        }
        var fields = ReportFields()
        var extra: [NameValue] = []
        for pair in merged {
            if let f = ReportField(key: pair.name) { fields[f] = pair.value } else { extra.append(pair) }
        }
        return ParsedDelivery(fields: fields, extra: extra)
    }

    private func check(fieldCount: Int) throws(Rejection) {
        if fieldCount == 0 {
            throw Rejection(400, "no fields: the request carried no report (empty body and no query parameters)")
        }
        if fieldCount > limits.maxFields {
            throw Rejection(400, "too many fields: \(fieldCount) (the limit is \(limits.maxFields))")
        }
    }

    private enum BodyFormat {
        case empty, json, form
        case multipart(boundary: String)
    }

    private func bodyFormat(contentType header: String?, body: [UInt8]) throws(Rejection) -> BodyFormat {
        if body.isEmpty { return .empty }
        if header == "application/json" { return .json } // skip header parsing on the hot path
        guard let header, !header.trimmingSpaces().isEmpty else {
            // No content type: JSON if it looks like an object, else a form.
            let firstNonSpace = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            return firstNonSpace == UInt8(ascii: "{") ? .json : .form
        }
        guard let type = ContentType(header) else {
            throw Rejection(415, "unreadable content type \"\(header)\"")
        }
        if type.isJSON { return .json }
        if type.isForm { return .form }
        if type.isMultipartForm {
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
                throw Rejection(400, "multipart/form-data without a boundary parameter")
            }
            return .multipart(boundary: boundary)
        }
        throw Rejection(
            415,
            "unsupported content type \(type.mediaType) (send application/json, application/x-www-form-urlencoded or multipart/form-data)")
    }

    /// The body's fields, and whether its keys are known to be unique (strict JSON refuses duplicates).
    private func bodyFields(_ format: BodyFormat, body: [UInt8]) throws(Rejection) -> ([NameValue], Bool) {
        switch format {
        case .empty: return ([], true)
        case .json: return try json(body)
        case .form: return (try form(body), false)
        case .multipart(let boundary):
            guard let multipart else { throw Rejection(415, "multipart/form-data is not supported here") }
            return (try multipart.fields(in: body, boundary: boundary), false)
        }
    }

    /// A JSON report with no query string and no compose webhook to map it: each member goes
    /// straight to its standard field or to the extras, its key looked up as bytes. The same
    /// result as merging the members' pairs (a repeated key keeps its first place and its last
    /// value), which `parse` does in every other case.
    private func standardFields(json body: [UInt8]) throws(Rejection) -> ParsedDelivery {
        var fields = ReportFields()
        var present = 0
        var extra: [NameValue] = []
        // Where each extra key is, once there are too many for a linear search.
        var extraIndex: [String: Int] = [:]
        let limit = JSONFlatObject.linearSearchLimit
        try readJSON(body) { (p) throws(JSONError) in
            try JSONFlatObject.forEachMemberKey(p) { key, _, text in
                if let field = ReportField(utf8: key) {
                    if fields[field] == nil { present += 1 }
                    fields[field] = text
                    return
                }
                let name = String(decoding: key, as: UTF8.self)
                if let at = extra.count < limit ? extra.firstIndex(where: { $0.name == name }) : extraIndex[name] {
                    extra[at].value = text
                    return
                }
                extra.append(NameValue(name, text))
                if extra.count == limit {
                    extraIndex = Dictionary(uniqueKeysWithValues: extra.indices.map { (extra[$0].name, $0) })
                } else if extra.count > limit {
                    extraIndex[name] = extra.count - 1
                }
            }
        }
        try check(fieldCount: present + extra.count)
        return ParsedDelivery(fields: fields, extra: extra)
    }

    /// A JSON object's members, and whether its keys are unique (a repeated key is legal
    /// JSON: the merge then lets its last value win).
    private func json(_ body: [UInt8]) throws(Rejection) -> ([NameValue], Bool) {
        try readJSON(body) { (p) throws(JSONError) in
            var pairs: [NameValue] = []
            pairs.reserveCapacity(16)
            let repeated = try JSONFlatObject.forEachMember(p) { key, _, text in pairs.append(NameValue(key, text)) }
            return (pairs, repeated.isEmpty)
        }
    }

    /// `read` over a body known to be UTF-8; what it finds malformed is a 400.
    private func readJSON<T>(_ body: [UInt8], _ read: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> T) throws(Rejection) -> T {
        try readUTF8(body) { (p) throws(Rejection) in
            do throws(JSONError) {
                return try read(p)
            } catch {
                throw Rejection(400, "malformed JSON: \(error.description)")
            }
        }
    }

    private func readUTF8<T>(_ body: [UInt8], _ read: (UnsafeBufferPointer<UInt8>) throws(Rejection) -> T) throws(Rejection) -> T {
        try body.withUnsafeBufferPointer { (p) throws(Rejection) in
            if let bad = UTF8Validation.firstInvalidOffset(p) {
                throw Rejection(400, "invalid UTF-8 at byte \(bad)")
            }
            return try read(p)
        }
    }

    private func form(_ body: [UInt8]) throws(Rejection) -> [NameValue] {
        try readUTF8(body) { (p) throws(Rejection) in try FormURLEncoding.decode(p, what: "form body") }
    }
}
