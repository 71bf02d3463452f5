import CallDashCore

/// How listings lay out a `CallColumn`: its width, alignment, and how long it survives a narrow
/// terminal (lower priorities are kept longer).
extension CallColumn {
    public var width: Int {
        switch self {
        case .seq: 8 // "#" and seven digits: the default store holds a million calls
        case .receivedAt: 8
        case .responseCode: 4
        case .field(.status): 11
        case .field(.from), .field(.to), .field(.bridge): 13
        case .field(.duration): 7
        case .field(.flowID): 8
        case .field(.mid): 18
        default: 10
        }
    }

    public var rightAligned: Bool {
        switch self {
        case .field(.duration), .responseCode: true
        default: false
        }
    }

    /// The time, the status and who was called come first; then how long and which call; FROM
    /// and BRIDGE last, as they hold the same DID on every row of a campaign.
    var priority: Int {
        switch self {
        case .receivedAt, .seq: 0
        case .field(.status): 1
        case .field(.to): 2
        case .field(.duration): 3
        case .field(.mid): 4
        case .field(.from): 5
        case .field(.source): 6
        case .field(.bridge): 7
        default: 8
        }
    }

    /// The columns of `columns` that fit in `width` (taken by priority, one space apart, shown
    /// in their order), with the last one widened to take the room left.
    public static func fitting(_ columns: [CallColumn], width: Int, gap: Int = 1) -> [(column: CallColumn, width: Int)] {
        var used = 0
        var keep = Set<CallColumn>()
        for c in columns.sorted(by: { $0.priority < $1.priority }) {
            guard used + c.width + gap <= width || keep.isEmpty else { break }
            keep.insert(c)
            used += c.width + gap
        }
        var shown = columns.filter(keep.contains).map { (column: $0, width: $0.width) }
        if let last = shown.popLast() { shown.append((last.column, max(last.width, width - used + last.width))) }
        return shown
    }

    /// The columns of `--plain`, each at its width.
    public static let tail: [CallColumn] = [
        .receivedAt, .seq, .field(.status), .field(.from), .field(.to), .field(.duration), .field(.source), .field(.mid)
    ]

    /// The columns of Compose's call picker.
    static let picker: [CallColumn] = [.seq, .receivedAt, .field(.status), .field(.to), .field(.duration), .field(.mid)]
}
