import DequeModule

/// A fingerprint of a delivery's standard fields (which are present, and their exact bytes):
/// two deliveries with the same one repeat each other, as a provider's retry repeats a report.
/// Hashed with the process's seeded hasher, so it is never written anywhere.
public struct FieldFingerprint: Hashable, Sendable {
    let value: Int

    public init(_ fields: ReportFields) {
        var h = Hasher()
        for f in ReportField.allCases {
            guard let v = fields[f] else { continue }
            v.withContiguousUTF8 { Self.add(f, $0, &h) }
        }
        value = h.finalize()
    }

    /// The same fingerprint from a packed summary's field bytes, without building Strings.
    init(packed r: PackedReport) {
        var h = Hasher()
        SummaryCodec.forEachText(r.bytes, at: r.start) { part, v in
            if case .field(let f) = part { Self.add(f, v, &h) }
            return true
        }
        value = h.finalize()
    }

    private static func add(_ f: ReportField, _ v: UnsafeBufferPointer<UInt8>, _ h: inout Hasher) {
        // The field's position and the length delimit the bytes (the enum's own hash would hash its name).
        h.combine(UInt8(f.index))
        h.combine(v.count)
        h.combine(bytes: UnsafeRawBufferPointer(v))
    }
}

/// The first held delivery for each fingerprint, so that a repeat is known at ingest in O(1)
/// under the ingest lock. It holds one entry per original still in the store: the oldest
/// leave as the store's capacity pushes them out. When an original has left the store, the
/// next delivery with its fields becomes the original (a duplicate must point at a held call).
public struct DuplicateIndex: Sendable {
    private var first: [FieldFingerprint: UInt64] = [:]
    private var order: Deque<(seq: UInt64, fingerprint: FieldFingerprint)> = []
    let capacity: Int

    /// Room for the originals is made at once: growing a table of a million under the ingest
    /// lock would stall every delivery at that moment.
    public init(capacity: Int) {
        self.capacity = capacity
        first.reserveCapacity(min(capacity, 1 << 20))
        order.reserveCapacity(min(capacity, 1 << 20))
    }

    /// The seq that a delivery with `fingerprint` repeats, or nil after remembering it as an
    /// original. `oldestHeld` is the store's oldest seq (nil when it is empty).
    public mutating func check(_ fingerprint: FieldFingerprint, seq: UInt64, oldestHeld: () -> UInt64?) -> UInt64? {
        if let original = first[fingerprint] {
            if let oldest = oldestHeld(), original < oldest {
                forget(fingerprint, seq: original)
            } else {
                return original
            }
        }
        first[fingerprint] = seq
        order.append((seq, fingerprint))
        while order.count > capacity, let gone = order.popFirst() { forget(gone.fingerprint, seq: gone.seq) }
        return nil
    }

    /// Forgets `seq` as the original of `fingerprint` (it was not kept, or left the store).
    mutating func forget(_ fingerprint: FieldFingerprint, seq: UInt64) {
        if first[fingerprint] == seq { first[fingerprint] = nil }
    }

    var count: Int { first.count }
}
