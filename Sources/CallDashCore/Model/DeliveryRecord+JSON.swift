import Foundation

/// The one JSON form of a delivery record: a journal line, a `serve` output line, an API item.
extension DeliveryRecord {
    /// The record as one line of JSON, without the trailing newline.
    public func json() -> [UInt8] {
        Self.line(seq: seq, duplicateOf: duplicateOf, afterSeq: jsonAfterSeq())
    }

    /// The line's bytes after `{"seq":N,"duplicate_of":M`: everything but what the recorder
    /// decides under its lock, so that the costly part (escaping a body of up to 1 MiB) is done
    /// outside it.
    public func jsonAfterSeq() -> [UInt8] {
        var w = JSONWriter(capacity: 512 + raw.count + headers.count * 48)
        w.raw(",\"received_at\":\"")
        receivedAt.write(to: &w)
        w.raw("\",\"method\":")
        w.string(method)
        w.raw(",\"path\":")
        w.string(path)
        w.raw(",\"query\":")
        Self.write(pairs: query, to: &w)
        w.raw(",\"headers\":")
        Self.write(pairs: headers, to: &w)
        w.raw(",\"remote\":")
        w.string(remote)
        w.raw(",\"content_type\":")
        w.stringOrNull(contentType)
        w.raw(",\"response_code\":")
        w.int(responseCode)
        w.raw(outcome == .accepted ? ",\"outcome\":\"accepted\",\"error\":" : ",\"outcome\":\"rejected\",\"error\":")
        w.stringOrNull(error)
        w.raw(",\"fields\":{")
        var first = true
        for field in ReportField.allCases {
            guard let value = fields[field] else { continue }
            if !first { w.raw(",") }
            first = false
            w.key(field.rawValue)
            w.string(value)
        }
        w.raw("},\"extra\":{")
        for (i, pair) in extra.enumerated() {
            if i > 0 { w.raw(",") }
            w.key(pair.name)
            w.string(pair.value)
        }
        w.raw("},\"raw\":")
        let utf8 = rawIsUTF8
        if utf8 {
            raw.withUnsafeBufferPointer { w.string(utf8: $0) }
        } else {
            w.string(Data(raw).base64EncodedString())
        }
        w.raw(utf8 ? ",\"raw_encoding\":\"utf8\",\"webhook\":" : ",\"raw_encoding\":\"base64\",\"webhook\":")
        if let webhook { w.int(webhook) } else { w.raw("null") }
        if let forward {
            w.raw(",\"forward\":")
            forward.write(asForwardTo: &w)
        }
        w.raw("}")
        return w.bytes
    }

    /// A record's line (as journaled: without `forward`) with its `forward` added, as served.
    public static func line(_ line: [UInt8], forward: ForwardAttempt?) -> [UInt8] {
        guard let forward, line.last == UInt8(ascii: "}") else { return line }
        var w = JSONWriter(capacity: line.count + 200 + forward.url.utf8.count + forward.reply.utf8.count)
        line.withUnsafeBufferPointer { w.append(UnsafeBufferPointer(rebasing: $0.dropLast())) }
        w.raw(",\"forward\":")
        forward.write(asForwardTo: &w)
        w.raw("}")
        return w.bytes
    }

    /// `{"seq":N,"duplicate_of":M` followed by `afterSeq` (from `jsonAfterSeq`).
    public static func line(seq: UInt64, duplicateOf: UInt64?, afterSeq: [UInt8]) -> [UInt8] {
        var w = JSONWriter(capacity: afterSeq.count + 56)
        w.raw("{\"seq\":")
        w.int(seq)
        w.raw(",\"duplicate_of\":")
        if let duplicateOf { w.int(duplicateOf) } else { w.raw("null") }
        afterSeq.withUnsafeBufferPointer { w.append($0) }
        return w.bytes
    }

    private static func write(pairs: [NameValue], to w: inout JSONWriter) {
        w.raw("[")
        for (i, p) in pairs.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"name\":")
            w.string(p.name)
            w.raw(",\"value\":")
            w.string(p.value)
            w.raw("}")
        }
        w.raw("]")
    }

    /// Reads a record back from its JSON form (a journal line).
    public init(json bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        var s = JSONScanner(bytes)
        var r = DeliveryRecord(receivedAt: Timestamp(millis: 0), method: "", path: "")
        var rawText = ""
        var base64 = false
        var sawSeq = false
        try s.readObject { (key, s) throws(JSONError) in
            switch key {
            case "seq":
                r.seq = try s.readSeq(bytes)
                sawSeq = true
            case "received_at": r.receivedAt = try s.readTimestamp()
            case "method": r.method = try s.readString()
            case "path": r.path = try s.readString()
            case "query": r.query = try s.readPairs()
            case "headers": r.headers = try s.readPairs()
            case "remote": r.remote = try s.readString()
            case "content_type": r.contentType = try s.readOptionalString()
            case "response_code": r.responseCode = try s.readResponseCode(bytes)
            case "outcome": r.outcome = try s.readOutcome()
            case "error": r.error = try s.readOptionalString()
            case "fields": r.fields = try s.readFields(bytes)
            case "extra":
                try s.readObject { (k, s) throws(JSONError) in r.extra.append(NameValue(k, try s.readString())) }
            case "raw": rawText = try s.readString()
            case "raw_encoding": base64 = try s.readString() == "base64"
            case "webhook": r.webhook = try s.readWebhookID(bytes)
            case "duplicate_of": r.duplicateOf = try s.readDuplicateOf(bytes)
            case "forward":
                if s.peekKind() == .null {
                    _ = try s.readLiteral()
                } else {
                    r.forward = try ForwardAttempt(scanning: &s, bytes, seq: 0)
                }
            default: try s.skipValue()
            }
        }
        try s.expectEnd()
        guard sawSeq else { throw JSONError("record has no seq", at: 0) }
        r.forward?.seq = r.seq
        // A record's forward is its own delivery's: a run belongs to a journal line or an event.
        if r.forward?.through != nil { throw JSONError("a record's forward names a run of seqs", at: 0) }
        try r.forward?.check()
        if base64 {
            guard let data = Data(base64Encoded: rawText) else { throw JSONError("raw is not valid base64", at: 0) }
            r.raw = Array(data)
        } else {
            r.raw = Array(rawText.utf8)
        }
        self = r
    }

    public init(json bytes: [UInt8]) throws(JSONError) {
        self = try bytes.withUnsafeBufferPointer { (p) throws(JSONError) in try DeliveryRecord(json: p) }
    }
}

extension ReportSummary {
    /// Reads just what the store keeps from a record's JSON form, skipping headers and body
    /// without building them: this is what makes replaying a million-line journal fast.
    public init(json bytes: UnsafeBufferPointer<UInt8>, location: RecordLocation) throws(JSONError) {
        var s = JSONScanner(bytes)
        var seq: UInt64?
        var receivedAt = Timestamp(millis: 0)
        var code = 0
        var outcome = Outcome.accepted
        var method = ""
        var error: String?
        var webhook: Int?
        var duplicateOf: UInt64?
        var fields = ReportFields()
        let tail = Self.webhookTail(bytes)
        try s.readObjectKeys { (key, s) throws(JSONError) in
            if key.equals("seq") {
                seq = try s.readSeq(bytes)
            } else if key.equals("duplicate_of") {
                duplicateOf = try s.readDuplicateOf(bytes)
            } else if key.equals("received_at") {
                receivedAt = try s.readTimestamp()
            } else if key.equals("method") {
                method = try s.readString()
            } else if key.equals("response_code") {
                code = try s.readResponseCode(bytes)
            } else if key.equals("outcome") {
                outcome = try s.readOutcome()
            } else if key.equals("error") {
                error = try s.readOptionalString()
            } else if key.equals("fields") {
                fields = try s.readFields(bytes)
                // What follows (extras, the body) is not kept in memory: go straight to the tail.
                if let tail, tail > s.position { s.jump(to: tail) }
            } else if key.equals("webhook") {
                webhook = try s.readWebhookID(bytes)
            } else {
                try s.skipValue()
            }
        }
        try s.expectEnd()
        guard let seq else { throw JSONError("record has no seq", at: 0) }
        self.init(
            seq: seq, receivedAt: receivedAt, responseCode: code, outcome: outcome, method: method,
            error: error, webhook: webhook, duplicateOf: duplicateOf, fields: fields, location: location)
    }
}

extension ReportSummary {
    /// Where `,"webhook":…}` starts when a line ends the way the journal writes it, so a reader
    /// can skip the body in between; nil for any other ending (then everything is read).
    static func webhookTail(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        let marker: StaticString = ",\"webhook\":"
        let m = marker.utf8CodeUnitCount
        guard line.count > m + 1, line[line.count - 1] == UInt8(ascii: "}") else { return nil }
        var i = line.count - 2
        // The value is null or a whole number: at most 20 bytes before the closing brace.
        while i > line.count - 24, i > m {
            let b = line[i]
            guard b == UInt8(ascii: ":") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || "nul".utf8.contains(b) else { return nil }
            if b == UInt8(ascii: ":") {
                let start = i + 1 - m
                return UnsafeBufferPointer(rebasing: line[start...i]).equals(marker) ? start : nil
            }
            i -= 1
        }
        return nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Compares bytes with a literal, without building a String.
    func equals(_ s: StaticString) -> Bool {
        count == s.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, s.utf8Start, count) == 0)
    }
}

extension JSONScanner {
    mutating func readUInt(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> UInt64 {
        let at = position
        guard peekKind() == .number else { throw JSONError("expected a whole number", at: at) }
        let r = try readNumber()
        var v: UInt64 = 0
        for i in r {
            let d = bytes[i]
            guard d >= 0x30, d <= 0x39 else { throw JSONError("expected a whole number", at: at) }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 0x30))
            guard !o1, !o2 else { throw JSONError("number out of range", at: at) }
            v = a
        }
        return v
    }

    /// A whole number no larger than `max`: values from disk must fit what they are stored in.
    mutating func readUInt(_ bytes: UnsafeBufferPointer<UInt8>, max: UInt64, _ what: String) throws(JSONError) -> UInt64 {
        let at = position
        let v = try readUInt(bytes)
        guard v <= max else { throw JSONError("\(what) \(v) is out of range (at most \(max))", at: at) }
        return v
    }

    mutating func readBool() throws(JSONError) -> Bool {
        let at = position
        switch try readLiteral() {
        case "true": return true
        case "false": return false
        default: throw JSONError("expected true or false", at: at)
        }
    }

    mutating func readSeq(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> UInt64 {
        try readUInt(bytes, max: Recorder.maxSeq, "seq")
    }

    mutating func readResponseCode(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Int {
        Int(try readUInt(bytes, max: 999, "response_code"))
    }

    mutating func readWebhookID(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Int? {
        if peekKind() == .null {
            _ = try readLiteral()
            return nil
        }
        return Int(try readUInt(bytes, max: UInt64(Int.max), "webhook"))
    }

    mutating func readDuplicateOf(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> UInt64? {
        if peekKind() == .null {
            _ = try readLiteral()
            return nil
        }
        return try readUInt(bytes, max: Recorder.maxSeq, "duplicate_of")
    }

    mutating func readOptionalString() throws(JSONError) -> String? {
        if peekKind() == .null {
            _ = try readLiteral()
            return nil
        }
        return try readString()
    }

    mutating func readTimestamp() throws(JSONError) -> Timestamp {
        let at = position
        guard let t = Timestamp(iso8601: try readString()) else { throw JSONError("bad received_at timestamp", at: at) }
        return t
    }

    mutating func readOutcome() throws(JSONError) -> Outcome {
        let at = position
        guard let o = Outcome(rawValue: try readString()) else { throw JSONError("unknown outcome", at: at) }
        return o
    }

    mutating func readFields(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> ReportFields {
        var fields = ReportFields()
        try readObjectKeys { (k, s) throws(JSONError) in
            let name = String(decoding: k, as: UTF8.self)
            guard let f = ReportField(key: name) else { throw JSONError("unknown standard field \"\(name)\"", at: s.keyOffset) }
            fields[f] = try s.readString()
        }
        return fields
    }

    mutating func readPairs() throws(JSONError) -> [NameValue] {
        var pairs: [NameValue] = []
        skipWhitespace()
        let at = position
        guard peekKind() == .array else { throw JSONError("expected an array of {name, value}", at: at) }
        try readArray { (s) throws(JSONError) in
            var name = ""
            var value = ""
            try s.readObject { (k, s) throws(JSONError) in
                switch k {
                case "name": name = try s.readString()
                case "value": value = try s.readString()
                default: try s.skipValue()
                }
            }
            pairs.append(NameValue(name, value))
        }
        return pairs
    }
}
