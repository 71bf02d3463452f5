import Dispatch
import Foundation

/// One stored report seen in place during a scan: its packed bytes, read without decoding.
/// Valid only inside the scan's closure.
public struct PackedReport {
    let bytes: UnsafeBufferPointer<UInt8>
    let start: Int

    public var seq: UInt64 { SummaryCodec.seq(bytes, at: start) }
    public var statusCode: UInt8 { bytes[start + SummaryCodec.statusCodeOffset] }
    public var isRejected: Bool { bytes[start + SummaryCodec.statusCodeOffset + 1] & 1 != 0 }
    public var receivedAtMillis: Int64 {
        Int64(
            bitPattern: UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
        )
    }

    /// The compose webhook it was mapped through.
    public var webhook: Int? { SummaryCodec.webhook(bytes, at: start) }

    /// Whether it repeats an earlier held delivery (`duplicate_of` is set).
    public var isDuplicate: Bool { bytes[start + SummaryCodec.statusCodeOffset + 1] & SummaryCodec.duplicateFlag != 0 }

    /// The duration field as whole seconds; nil when absent or not a number.
    public var durationSeconds: Int? {
        var out: Int?
        SummaryCodec.forEachText(bytes, at: start) { part, v in
            guard part == .field(.duration) else { return true }
            out = Self.integer(v)
            return false
        }
        return out
    }

    /// True when every term's field is present and equals its value, ASCII letters without case.
    func hasFields(_ terms: [StoreFilter.FieldTerm]) -> Bool {
        var matched = 0
        SummaryCodec.forEachText(bytes, at: start) { part, v in
            guard case .field(let f) = part else { return true }
            for t in terms where t.field == f {
                guard v.count == t.value.count, zip(v, t.value).allSatisfy({ TextSearch.fold($0) == $1 }) else { return false }
                matched += 1
            }
            return true
        }
        return matched == terms.count
    }

    /// True when `needle` (lower-cased) lies inside one text part: the method, the error or a
    /// field (not across a length byte, not in the binary header).
    func containsText(_ needle: [UInt8]) -> Bool {
        var hit = false
        SummaryCodec.forEachText(bytes, at: start) { _, part in
            hit = TextSearch.find(needle, in: part, from: 0) != nil
            return !hit
        }
        return hit
    }

    /// True when bytes `at..<at+length` of the chunk lie inside one of this report's text parts:
    /// a match found by searching the whole chunk counts only there.
    func textPart(holds at: Int, length: Int) -> Bool {
        var inside = false
        let base = bytes.baseAddress!
        SummaryCodec.forEachText(bytes, at: start) { _, part in
            let lo = part.baseAddress.map { $0 - base } ?? 0
            if at < lo { return false }
            inside = at + length <= lo + part.count
            return !inside
        }
        return inside
    }

    static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !v.isEmpty, v.count <= 18 else { return nil }
        var n = 0
        for b in v {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }
}

/// What a scan keeps: statuses (a bit per `StatusSlot`), rejected or duplicate deliveries only,
/// `field=value` terms (exact, ignoring case) and text that must appear in the method, the error
/// or a standard field (ASCII letters without case).
public struct StoreFilter: Sendable, Equatable {
    /// One `field=value` term of a search.
    public struct FieldTerm: Sendable, Equatable {
        public var field: ReportField
        /// Lower-cased (ASCII letters).
        public var value: [UInt8]
    }

    /// Bit n set keeps slot n; 0 keeps every status.
    public var statusSlots: UInt16
    public var rejectedOnly: Bool
    public var duplicatesOnly: Bool
    public var terms: [FieldTerm]
    /// Lower-cased text; empty matches everything.
    public var needle: [UInt8]

    /// `text` is a search as typed: its `field=value` words are terms, the rest free text.
    public init(statusSlots: UInt16 = 0, rejectedOnly: Bool = false, duplicatesOnly: Bool = false, text: String = "") {
        self.statusSlots = statusSlots
        self.rejectedOnly = rejectedOnly
        self.duplicatesOnly = duplicatesOnly
        let search = SearchText(text)
        terms = search.terms.map { FieldTerm(field: $0.field, value: Array($0.value.lowercased().utf8)) }
        needle = Array(search.free.lowercased().utf8)
    }

    /// True when the report passes every part of the filter.
    public func matches(_ r: PackedReport) -> Bool { keeps(r) && (needle.isEmpty || r.containsText(needle)) }

    @inline(__always) func keeps(_ r: PackedReport) -> Bool {
        if rejectedOnly && !r.isRejected { return false }
        if duplicatesOnly && !r.isDuplicate { return false }
        if statusSlots != 0 && statusSlots & (1 << StatusSlot(code: r.statusCode).rawValue) == 0 { return false }
        return terms.isEmpty || r.hasFields(terms)
    }
}

/// A search as typed, split: `field=value` words (a standard field's name, then `=`) and the
/// free text left, words in their order.
public struct SearchText: Equatable, Sendable {
    public var terms: [(field: ReportField, value: String)]
    public var free: String

    public init(_ text: String) {
        var terms: [(ReportField, String)] = []
        var rest: [Substring] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if let eq = word.firstIndex(of: "="), let f = ReportField(key: String(word[..<eq])) {
                terms.append((f, String(word[word.index(after: eq)...])))
            } else {
                rest.append(word)
            }
        }
        self.terms = terms
        free = terms.isEmpty ? text : rest.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    public static func == (a: SearchText, b: SearchText) -> Bool {
        a.free == b.free && a.terms.map(\.field) == b.terms.map(\.field) && a.terms.map(\.value) == b.terms.map(\.value)
    }
}

extension StoreSnapshot {
    /// Calls `emit` for every report from index `start` on that passes `filter`, in store order,
    /// chunk by chunk on the packed bytes. A text filter first finds candidate positions in a
    /// whole chunk at once (16 bytes a step), then confirms each inside one report's text.
    public func scan(from start: Int = 0, to end: Int? = nil, _ filter: StoreFilter, _ emit: (PackedReport) -> Void) {
        let end = min(end ?? count, count)
        guard start < end else { return }
        var (c, k) = locate(max(0, start))
        let (lastChunk, lastEnd) = locate(end - 1)
        while c <= lastChunk {
            let chunk = state.chunks[c]
            let stop = c == lastChunk ? lastEnd + 1 : chunk.offsets.count
            chunk.bytes.withUnsafeBufferPointer { p in
                chunk.offsets.withUnsafeBufferPointer { allOffsets in
                    let offs = UnsafeBufferPointer(rebasing: allOffsets[..<stop])
                    // The search may not run into the next report past `end`.
                    let bytes = stop < allOffsets.count ? UnsafeBufferPointer(rebasing: p[..<Int(allOffsets[stop])]) : p
                    if filter.needle.isEmpty {
                        for i in k..<offs.count {
                            let r = PackedReport(bytes: p, start: Int(offs[i]))
                            if filter.keeps(r) { emit(r) }
                        }
                    } else {
                        Self.search(bytes, offs, from: k, filter, emit)
                    }
                }
            }
            c += 1
            k = 0
        }
    }

    /// `transform` of every report from index `start` on that passes `filter`, in store order.
    /// Large stores are split across the cores: each part is scanned into its own array and the
    /// arrays are joined in order.
    public func collect(from start: Int = 0, _ filter: StoreFilter, _ transform: (PackedReport) -> UInt64) -> [UInt64] {
        let total = count - max(0, start)
        let parts = total >= 1 << 16 ? min(8, ProcessInfo.processInfo.activeProcessorCount) : 1
        guard parts > 1 else {
            var out: [UInt64] = []
            scan(from: start, filter) { out.append(transform($0)) }
            return out
        }
        let results = UnsafeMutableBufferPointer<[UInt64]>.allocate(capacity: parts)
        results.initialize(repeating: [])
        defer { results.deinitialize().deallocate() }
        // Each worker writes only its own slot of `results`, and `concurrentPerform` returns
        // after every worker is done, so no slot is shared or read early.
        withoutActuallyEscaping(transform) { transform in
            let work = UnsafeSendable(transform, results)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let lo = start + total * part / parts
                let hi = start + total * (part + 1) / parts
                var out: [UInt64] = []
                self.scan(from: lo, to: hi, filter) { out.append(work.transform($0)) }
                work.results[part] = out
            }
        }
        var joined: [UInt64] = []
        joined.reserveCapacity(results.reduce(0) { $0 + $1.count })
        for r in results { joined.append(contentsOf: r) }
        return joined
    }

    private static func search(
        _ p: UnsafeBufferPointer<UInt8>, _ offs: UnsafeBufferPointer<UInt32>, from k0: Int, _ filter: StoreFilter,
        _ emit: (PackedReport) -> Void
    ) {
        guard k0 < offs.count else { return }
        let needle = filter.needle
        var k = k0
        var pos = Int(offs[k0])
        while let hit = TextSearch.find(needle, in: p, from: pos) {
            while k + 1 < offs.count, Int(offs[k + 1]) <= hit { k += 1 }
            let r = PackedReport(bytes: p, start: Int(offs[k]))
            let next = k + 1 < offs.count ? Int(offs[k + 1]) : p.count
            if filter.keeps(r) && r.textPart(holds: hit, length: needle.count) {
                emit(r)
                pos = next
                k += 1
                if k >= offs.count { return }
            } else if filter.keeps(r) {
                pos = hit + 1
            } else {
                pos = next
            }
        }
    }
}

/// What the workers of `collect` share: the caller's transform, which only reads the packed
/// bytes it is given, and the result slots, one per worker.
private struct UnsafeSendable: @unchecked Sendable {
    let transform: (PackedReport) -> UInt64
    let results: UnsafeMutableBufferPointer<[UInt64]>
    init(_ t: @escaping (PackedReport) -> UInt64, _ r: UnsafeMutableBufferPointer<[UInt64]>) {
        transform = t
        results = r
    }
}

/// Case-insensitive (ASCII) substring search, eight bytes a step: each step folds a word of
/// the text to lower case and marks where the needle's first two bytes both occur (SWAR).
public enum TextSearch {
    /// The first position at or after `from` where `needle` (lower-cased) occurs in `hay`,
    /// ASCII letters compared without case.
    public static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = needle.count
        guard n > 0, from >= 0, hay.count - from >= n, let base = hay.baseAddress else { return nil }
        return needle.withUnsafeBufferPointer { nd -> Int? in
            let raw = UnsafeRawPointer(base)
            // Look for the needle's last two bytes: the end of a search is usually more telling
            // than its start (every number here starts with the same country code).
            let anchor = max(0, n - 2)
            let first = ones &* UInt64(nd[anchor])
            let second = ones &* UInt64(n > 1 ? nd[anchor + 1] : 0)
            var i = from + anchor
            // A step reads 8 bytes at i and at i + 1; a hit at i + k means a start at i + k - anchor.
            let lastStep = hay.count - 9
            while i <= lastStep {
                var hits = zeroBytes(fold(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ first)
                // Most words hold no first byte at all; only then is the second one worth checking.
                if hits != 0 && n > 1 { hits &= zeroBytes(fold(raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self)) ^ second) }
                while hits != 0 {
                    let at = i + hits.trailingZeroBitCount / 8 - anchor
                    if at + n <= hay.count && matches(nd, base, at: at) { return at }
                    hits &= hits - 1
                }
                i += 8
            }
            var at = i - anchor
            while at <= hay.count - n {
                if matches(nd, base, at: at) { return at }
                at += 1
            }
            return nil
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Each byte A–Z gets its 0x20 bit, so the word reads in lower case (little-endian order kept).
    @inline(__always) static func fold(_ x: UInt64) -> UInt64 {
        let low7 = x & lows
        let atLeastA = low7 &+ ones &* (0x80 - 0x41)
        let pastZ = low7 &+ ones &* (0x80 - 0x5B)
        let upper = atLeastA & ~pastZ & ~x & highs
        return x | (upper >> 2)
    }

    /// 0x80 in exactly the bytes of `x` that are zero.
    @inline(__always) static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & lows) &+ lows) | x | lows)
    }

    @inline(__always) static func matches(_ needle: UnsafeBufferPointer<UInt8>, _ p: UnsafePointer<UInt8>, at i: Int) -> Bool {
        for j in 0..<needle.count where fold(p[i + j]) != needle[j] { return false }
        return true
    }

    @inline(__always) static func fold(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}
