/// Packs a `ReportSummary` into bytes and back. One packed summary costs about 200 bytes for a
/// typical report instead of the ~1 KB that a struct of Strings and arrays costs on the heap.
///
/// Layout: seq u64 · receivedAt i64 · responseCode u16 · statusCode u8 · flags u8
/// (bit0 rejected, bit1 webhook, bit2 error, bit3 inline, bit4 duplicate) · [webhook varint] ·
/// [duplicate-of seq varint] · location ·
/// method (u8 length + bytes) · [error varint+bytes] · 12 fields, each varint (length + 1, 0 = absent) + bytes.
enum SummaryCodec {
    static let statusCodeOffset = 18
    static let duplicateFlag: UInt8 = 16

    static func encode(_ s: ReportSummary, into out: inout [UInt8]) {
        append(UInt64(s.seq), 8, &out)
        append(UInt64(bitPattern: s.receivedAt.millis), 8, &out)
        append(UInt64(UInt16(clamping: s.responseCode)), 2, &out)
        out.append(s.statusCode)
        var flags: UInt8 = s.outcome == .rejected ? 1 : 0
        if s.webhook != nil { flags |= 2 }
        if s.error != nil { flags |= 4 }
        if case .inline = s.location { flags |= 8 }
        if s.duplicateOf != nil { flags |= duplicateFlag }
        out.append(flags)
        if let w = s.webhook { varint(UInt64(bitPattern: Int64(w)), &out) }
        if let d = s.duplicateOf { varint(d, &out) }
        switch s.location {
        case .journal(let offset, let length):
            varint(offset, &out)
            varint(UInt64(length), &out)
        case .inline(let line):
            varint(UInt64(line.count), &out)
            out.append(contentsOf: line)
        }
        // Texts are copied through their contiguous UTF-8 (the generic UTF8View append goes byte by byte).
        s.method.withContiguousUTF8 { m in
            let kept = UnsafeBufferPointer(rebasing: m.prefix(255))
            out.append(UInt8(kept.count))
            out.append(contentsOf: kept)
        }
        if let error = s.error {
            error.withContiguousUTF8 { e in
                varint(UInt64(e.count), &out)
                out.append(contentsOf: e)
            }
        }
        for f in ReportField.allCases {
            if let v = s.fields[f] {
                v.withContiguousUTF8 { v in
                    varint(UInt64(v.count) + 1, &out)
                    out.append(contentsOf: v)
                }
            } else {
                out.append(0)
            }
        }
    }

    static func decode(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> ReportSummary {
        var i = start
        let seq = fixed(p, &i, 8)
        let millis = Int64(bitPattern: fixed(p, &i, 8))
        let code = Int(fixed(p, &i, 2))
        i += 1 // status code, derived from fields
        let flags = p[i]
        i += 1
        let webhook = flags & 2 != 0 ? Int(Int64(bitPattern: readVarint(p, &i))) : nil
        let duplicateOf = flags & duplicateFlag != 0 ? readVarint(p, &i) : nil
        let location: RecordLocation
        if flags & 8 != 0 {
            let n = Int(readVarint(p, &i))
            location = .inline(Array(UnsafeBufferPointer(rebasing: p[i..<(i + n)])))
            i += n
        } else {
            let offset = readVarint(p, &i)
            location = .journal(offset: offset, length: UInt32(readVarint(p, &i)))
        }
        let methodLength = Int(p[i])
        i += 1
        let method = string(p, i, methodLength)
        i += methodLength
        var error: String?
        if flags & 4 != 0 {
            let n = Int(readVarint(p, &i))
            error = string(p, i, n)
            i += n
        }
        var fields = ReportFields()
        for f in ReportField.allCases {
            let n = Int(readVarint(p, &i))
            if n > 0 {
                fields[f] = string(p, i, n - 1)
                i += n - 1
            }
        }
        return ReportSummary(
            seq: seq, receivedAt: Timestamp(millis: millis), responseCode: code,
            outcome: flags & 1 != 0 ? .rejected : .accepted, method: method, error: error, webhook: webhook, duplicateOf: duplicateOf,
            fields: fields, location: location)
    }

    /// Whether `p` is exactly one well-formed packed summary of a journal line: every length,
    /// varint and flag in bounds, the status code known and matching the status text. The
    /// index file is input like any other; `decode` and the store's scans trust what passes.
    static func isValidJournalEntry(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = statusCodeOffset + 2
        guard p.count >= i else { return false }
        let code = p[statusCodeOffset]
        let flags = p[statusCodeOffset + 1]
        guard flags & ~(0x07 | duplicateFlag) == 0 else { return false } // unknown bits, or inline (never in an index)
        func varint() -> UInt64? { checkedVarint(p, &i) }
        func skip(_ n: UInt64) -> Range<Int>? {
            guard n <= UInt64(p.count - i) else { return nil }
            defer { i += Int(n) }
            return i..<(i + Int(n))
        }
        if flags & 2 != 0 { guard let w = varint(), w <= UInt64(Int64.max) else { return false } }
        if flags & duplicateFlag != 0 { guard let d = varint(), d <= Recorder.maxSeq else { return false } }
        guard varint() != nil, let length = varint(), length <= UInt64(UInt32.max), i < p.count else { return false }
        let methodLength = UInt64(p[i])
        i += 1
        guard skip(methodLength) != nil else { return false }
        if flags & 4 != 0 { guard let n = varint(), skip(n) != nil else { return false } }
        var status: Range<Int>?
        for f in ReportField.allCases {
            guard let n = varint() else { return false }
            guard n > 0 else { continue }
            guard let r = skip(n - 1) else { return false }
            if f == .status { status = r }
        }
        guard i == p.count else { return false }
        let text = status.map { String(decoding: UnsafeBufferPointer(rebasing: p[$0]), as: UTF8.self) }
        return code == CallStatus.code(of: text)
    }

    /// The seq and journal location of a packed summary, without decoding the rest;
    /// nil when it is kept inline or the bytes are too short to be a summary.
    static func journalLocation(_ p: UnsafeBufferPointer<UInt8>) -> (seq: UInt64, offset: UInt64, length: UInt64)? {
        guard p.count > statusCodeOffset + 2 else { return nil }
        var i = 0
        let seq = fixed(p, &i, 8)
        i = statusCodeOffset + 1
        let flags = p[i]
        i += 1
        guard flags & 8 == 0 else { return nil }
        func varint() -> UInt64? { checkedVarint(p, &i) }
        if flags & 2 != 0 { guard varint() != nil else { return nil } }
        if flags & duplicateFlag != 0 { guard varint() != nil else { return nil } }
        guard let offset = varint(), let length = varint() else { return nil }
        return (seq, offset, length)
    }

    /// The text parts of a packed summary that a search looks at.
    enum TextPart: Equatable {
        case method, error
        case field(ReportField)
    }

    /// Where the text parts of the summary at `start` begin (its method's length byte), past
    /// the webhook, the duplicate's seq and the location, and its flags.
    @inline(__always)
    private static func textStart(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, UInt8) {
        var i = start + statusCodeOffset + 1
        let flags = p[i]
        i += 1
        if flags & 2 != 0 { _ = readVarint(p, &i) }
        if flags & duplicateFlag != 0 { _ = readVarint(p, &i) }
        if flags & 8 != 0 {
            i += Int(readVarint(p, &i))
        } else {
            _ = readVarint(p, &i)
            _ = readVarint(p, &i)
        }
        return (i, flags)
    }

    /// Visits the method, the error and each present field of the summary at `start`, in that
    /// order, until `body` returns false.
    static func forEachText(_ p: UnsafeBufferPointer<UInt8>, at start: Int, _ body: (TextPart, UnsafeBufferPointer<UInt8>) -> Bool) {
        var (i, flags) = textStart(p, at: start)
        let methodLength = Int(p[i])
        i += 1
        guard body(.method, UnsafeBufferPointer(rebasing: p[i..<(i + methodLength)])) else { return }
        i += methodLength
        if flags & 4 != 0 {
            let n = Int(readVarint(p, &i))
            guard body(.error, UnsafeBufferPointer(rebasing: p[i..<(i + n)])) else { return }
            i += n
        }
        for f in ReportField.allCases {
            let n = Int(readVarint(p, &i))
            if n > 0 {
                guard body(.field(f), UnsafeBufferPointer(rebasing: p[i..<(i + n - 1)])) else { return }
                i += n - 1
            }
        }
    }

    /// The webhook of the summary at `start`, without decoding the rest.
    static func webhook(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start + statusCodeOffset + 1
        guard p[i] & 2 != 0 else { return nil }
        i += 1
        return Int(Int64(bitPattern: readVarint(p, &i)))
    }

    /// The bytes of each standard field of the summary at `start` (nil when absent), in
    /// `ReportField.index` order: what a statistics pass reads of every report, in one walk.
    @inline(__always)
    static func fields(_ p: UnsafeBufferPointer<UInt8>, at start: Int, into out: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>?>) {
        var (i, flags) = textStart(p, at: start)
        i += 1 + Int(p[i]) // the method
        if flags & 4 != 0 { i += Int(readVarint(p, &i)) } // the error
        for f in 0..<out.count {
            let n = Int(readVarint(p, &i))
            if n > 0 {
                out[f] = UnsafeBufferPointer(rebasing: p[i..<(i + n - 1)])
                i += n - 1
            } else {
                out[f] = nil
            }
        }
    }

    /// The seq of the summary at `start`, without decoding the rest.
    static func seq(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt64 {
        var i = start
        return fixed(p, &i, 8)
    }

    private static func string(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[at..<(at + n)]), as: UTF8.self)
    }

    private static func append(_ v: UInt64, _ width: Int, _ out: inout [UInt8]) {
        for k in 0..<width { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }

    private static func fixed(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ width: Int) -> UInt64 {
        precondition(i >= 0 && i + width <= p.count, "packed summary cut short")
        var v: UInt64
        if width == 8 {
            // One load instead of eight: the seq of every report is read this way during a scan.
            v = UInt64(littleEndian: UnsafeRawPointer(p.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self))
        } else {
            v = 0
            for k in 0..<width { v |= UInt64(p[i + k]) << (8 * k) }
        }
        i += width
        return v
    }

    private static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// A varint read with every byte bounds-checked (nil past the end, or over 64 bits): for
    /// bytes from a file that may be damaged.
    private static func checkedVarint(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count, shift < 64 {
            let b = p[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }

    private static func readVarint(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = p[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
}
