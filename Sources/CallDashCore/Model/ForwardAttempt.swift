/// One attempt to forward a delivery to the user's own app (`--forward-to`): journaled as its
/// own line, and, as the last one, the record's `forward`. Attempt 0 says why none was made:
/// the queue was full (for a run of seqs, `through`), or calldash stopped first (`pending`).
public struct ForwardAttempt: Sendable, Equatable {
    /// The seq of the delivery forwarded (the first of a run's).
    public var seq: UInt64
    /// The last seq of a run of deliveries not forwarded for a full queue; nil for one delivery.
    public var through: UInt64?
    public var at: Timestamp
    public var url: String
    /// Counts from 1; in a record's `forward`, the attempts made so far.
    public var attempt: Int
    /// The app's HTTP status; nil when it gave none (down, timed out, closed mid-reply).
    public var status: Int?
    /// How long the attempt took.
    public var ms: Int
    /// Why it was not delivered, in plain words; nil when delivered.
    public var error: String?
    /// The provider's rule: 200 or 202.
    public var delivered: Bool
    /// The start of the app's reply body (secrets masked), for the detail.
    public var reply: String
    /// Not forwarded yet when calldash stopped: the next start with `--forward-to` forwards it.
    public var pending = false

    /// How much of the app's reply is kept.
    public static let replyKept = 512

    public init(
        seq: UInt64, at: Timestamp, url: String, attempt: Int, status: Int?, ms: Int, error: String?, delivered: Bool,
        reply: String = ""
    ) {
        self.seq = seq
        self.at = at
        self.url = url
        self.attempt = attempt
        self.status = status
        self.ms = ms
        self.error = error
        self.delivered = delivered
        self.reply = reply
    }

    /// Attempt 0 for deliveries `seqs` (more than one only for a full queue): `why` none was made.
    public static func notMade(_ seqs: ClosedRange<UInt64>, url: String, why: String, pending: Bool = false) -> ForwardAttempt {
        var a = ForwardAttempt(seq: seqs.lowerBound, at: .now(), url: url, attempt: 0, status: nil, ms: 0, error: why, delivered: false)
        a.through = seqs.lowerBound < seqs.upperBound ? seqs.upperBound : nil
        a.pending = pending
        return a
    }

    /// What the queue-full attempt 0 says (the detail words it as not forwarded).
    public static func queueFull(limit: Int) -> String {
        "the forward queue was full (\(limit) deliveries waited for the app)"
    }

    public static let stoppedFirst = "calldash stopped before forwarding it (the next start with --forward-to forwards it)"

    /// The journal line: `{"forward_of":SEQ,"at":…,"url":…,"attempt":N,"status":…,"ms":N,"error":…,"delivered":…,"reply":…}`.
    public func line() -> [UInt8] {
        var w = JSONWriter(capacity: 160 + url.utf8.count + reply.utf8.count)
        w.raw("{\"forward_of\":")
        w.int(seq)
        write(count: "attempt", to: &w)
        return w.bytes
    }

    /// As a record's `forward` (an object; `attempts` for the count).
    public func write(asForwardTo w: inout JSONWriter) {
        w.raw("{")
        write(count: "attempts", first: true, to: &w)
    }

    /// The members after `{` or `{"forward_of":N`: the same for a line and a record's `forward`.
    private func write(count key: StaticString, first: Bool = false, to w: inout JSONWriter) {
        w.raw(first ? "\"at\":\"" : ",\"at\":\"")
        at.write(to: &w)
        w.raw("\",\"url\":")
        w.string(url)
        w.raw(",\"")
        w.raw(key)
        w.raw("\":")
        w.int(attempt)
        if let through {
            w.raw(",\"through\":")
            w.int(through)
        }
        writeOutcome(to: &w)
    }

    private func writeOutcome(to w: inout JSONWriter) {
        w.raw(",\"status\":")
        if let status { w.int(status) } else { w.raw("null") }
        w.raw(",\"ms\":")
        w.int(ms)
        w.raw(",\"error\":")
        w.stringOrNull(error)
        w.raw(delivered ? ",\"delivered\":true,\"reply\":" : ",\"delivered\":false,\"reply\":")
        w.string(reply)
        w.raw(pending ? ",\"pending\":true}" : "}")
    }

    /// Whether a journal line is a forward attempt's (it starts so; a delivery's starts with `seq`).
    public static func isForwardLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.starts(with: prefix)
    }

    private static let prefix = Array("{\"forward_of\":".utf8)

    /// Reads a journal line back, or a record's `forward` object (then `seq` is the record's).
    public init(json bytes: UnsafeBufferPointer<UInt8>, seq given: UInt64? = nil) throws(JSONError) {
        var s = JSONScanner(bytes)
        try self.init(scanning: &s, bytes, seq: given)
        try s.expectEnd()
        try check()
    }

    /// Refuses what no attempt can be (damage that still parses), once `seq` is known: a run
    /// not after its first seq, or one that says an attempt was made; an attempt 0 delivered;
    /// a pending mark on a made attempt or a run.
    func check() throws(JSONError) {
        if let through {
            guard through > seq, attempt == 0, !delivered, !pending else {
                throw JSONError("a forward run is not a run of seqs not forwarded", at: 0)
            }
        }
        if attempt == 0, delivered { throw JSONError("a forward not made is not delivered", at: 0) }
        if pending, attempt != 0 { throw JSONError("a pending forward has no attempt made", at: 0) }
    }

    /// Reads a stream's `event: forward` data, `{"seq":N,"forward":{…}}`.
    public init(event bytes: [UInt8]) throws(JSONError) {
        var found: ForwardAttempt?
        try bytes.withUnsafeBufferPointer { (p) throws(JSONError) in
            var s = JSONScanner(p)
            var seq: UInt64?
            var attempt: ForwardAttempt?
            try s.readObject { (key, s) throws(JSONError) in
                switch key {
                case "seq": seq = try s.readSeq(p)
                case "forward": attempt = try ForwardAttempt(scanning: &s, p, seq: 0)
                default: try s.skipValue()
                }
            }
            try s.expectEnd()
            if let seq { attempt?.seq = seq }
            found = seq == nil ? nil : attempt
        }
        guard let found else { throw JSONError("a forward event needs seq and forward", at: 0) }
        try found.check()
        self = found
    }

    init(scanning s: inout JSONScanner, _ bytes: UnsafeBufferPointer<UInt8>, seq given: UInt64?) throws(JSONError) {
        var a = ForwardAttempt(
            seq: given ?? 0, at: Timestamp(millis: 0), url: "", attempt: 0, status: nil, ms: 0, error: nil, delivered: false)
        var sawSeq = given != nil
        var (sawAt, sawAttempt) = (false, false)
        try s.readObject { (key, s) throws(JSONError) in
            switch key {
            case "forward_of":
                a.seq = try s.readSeq(bytes)
                sawSeq = true
            case "at":
                a.at = try s.readTimestamp()
                sawAt = true
            case "url": a.url = try s.readString()
            case "attempt", "attempts":
                a.attempt = Int(try s.readUInt(bytes, max: 1 << 20, key))
                sawAttempt = true
            case "status":
                if s.peekKind() == .null { _ = try s.readLiteral() } else { a.status = try s.readResponseCode(bytes) }
            case "ms": a.ms = Int(try s.readUInt(bytes, max: 1 << 40, "ms"))
            case "error": a.error = try s.readOptionalString()
            case "delivered": a.delivered = try s.readBool()
            case "reply": a.reply = try s.readString()
            case "through": a.through = try s.readSeq(bytes)
            case "pending": a.pending = try s.readBool()
            default: try s.skipValue()
            }
        }
        guard sawSeq else { throw JSONError("forward line has no forward_of", at: 0) }
        guard sawAt, sawAttempt else { throw JSONError("forward line has no at or attempt", at: 0) }
        // A line without its url (damage that still parses) would show a forward to nowhere.
        guard !a.url.isEmpty else { throw JSONError("forward line has no url", at: 0) }
        self = a
    }
}
