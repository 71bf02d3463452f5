/// Turns the keys a terminal delivers into the keys the UI acts on: a bracketed paste
/// (`Esc [200~ … Esc [201~`) becomes one `.paste`, so pasted text is inserted, never run as
/// commands, and Esc followed at once by a character becomes `.alt` (Alt-b, Alt-f).
///
/// A paste may span several reads, so the decoder keeps its state between batches.
public struct InputDecoder: Sendable {
    private var pending: [Key] = []
    private var pasting: String?

    public init() {}

    private static let start: [Key] = [.escape, .char("["), .char("2"), .char("0"), .char("0"), .char("~")]
    private static let end: [Key] = [.escape, .char("["), .char("2"), .char("0"), .char("1"), .char("~")]

    /// The keys of one read, decoded. Curses waits its Esc delay for the rest of a sequence, so
    /// a paste's start marker arrives in one read; its end may come reads later.
    public mutating func decode(_ keys: [Key]) -> [Key] {
        var out: [Key] = []
        var queue = pending + keys
        pending = []
        while !queue.isEmpty {
            if pasting != nil {
                if queue.starts(with: Self.end) {
                    out.append(.paste(pasting!))
                    pasting = nil
                    queue.removeFirst(Self.end.count)
                } else if Self.end.starts(with: queue) {
                    pending = queue // maybe the start of the end marker: wait for more
                    queue = []
                } else {
                    pasting! += Self.text(of: queue.removeFirst())
                }
                continue
            }
            if queue.starts(with: Self.start) {
                pasting = ""
                queue.removeFirst(Self.start.count)
            } else if queue[0] == .escape, queue.count > 1, case .char(let c) = queue[1], c != "[" {
                out.append(.alt(c))
                queue.removeFirst(2)
            } else {
                out.append(queue.removeFirst())
            }
        }
        return out
    }

    /// What a key inside a paste stands for as text.
    private static func text(of key: Key) -> String {
        switch key {
        case .char(let c): String(c)
        case .enter: "\n"
        case .tab: "\t"
        case .escape: "\u{1B}"
        case .ctrl(let c): String(Unicode.Scalar((c.asciiValue ?? 96) - 96))
        default: ""
        }
    }
}
