/// One line of text being edited: the cursor, readline's keys, word jumps and undo.
/// Text is held as characters (grapheme clusters), so a cursor step never splits an emoji or
/// a letter with its accent; the view measures their cells.
public struct LineEditor: Equatable, Sendable {
    public private(set) var chars: [Character]
    /// Insertion point, 0...chars.count.
    public private(set) var cursor: Int
    private var undoStack: [Snapshot] = []
    /// Typing runs of letters share one undo step, as in most editors.
    private var lastWasTyping = false

    private struct Snapshot: Equatable, Sendable {
        var chars: [Character]
        var cursor: Int
    }

    public init(_ text: String) {
        chars = Array(text)
        cursor = chars.count
    }

    public var text: String { String(chars) }

    /// Applies a key; false when the key is not an editing key (the caller handles it).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): type(String(c))
        case .paste(let s): insert(s)
        case .left, .ctrl("b"): move(to: cursor - 1)
        case .right, .ctrl("f"): move(to: cursor + 1)
        case .home, .ctrl("a"): move(to: 0)
        case .end, .ctrl("e"): move(to: chars.count)
        case .wordLeft, .alt("b"): move(to: wordStart(before: cursor))
        case .wordRight, .alt("f"): move(to: wordEnd(after: cursor))
        case .backspace, .ctrl("h"): delete(cursor - 1..<cursor)
        case .delete, .ctrl("d"): delete(cursor..<cursor + 1)
        case .ctrl("w"): delete(wordStart(before: cursor)..<cursor)
        case .alt("d"): delete(cursor..<wordEnd(after: cursor))
        case .ctrl("u"): delete(0..<cursor)
        case .ctrl("k"): delete(cursor..<chars.count)
        case .ctrl("z"), .ctrl("_"): undo()
        default: return false
        }
        return true
    }

    /// Inserts text at the cursor as one undo step (a paste, a variable from the palette).
    public mutating func insert(_ s: String) {
        guard !s.isEmpty else { return }
        remember(typing: false)
        chars.insert(contentsOf: Array(s), at: cursor)
        cursor += s.count
    }

    private mutating func type(_ s: String) {
        remember(typing: true)
        chars.insert(contentsOf: Array(s), at: cursor)
        cursor += s.count
    }

    private mutating func delete(_ range: Range<Int>) {
        let r = max(0, range.lowerBound)..<min(chars.count, range.upperBound)
        guard !r.isEmpty else { return }
        remember(typing: false)
        chars.removeSubrange(r)
        cursor = r.lowerBound
    }

    private mutating func move(to i: Int) {
        cursor = min(max(0, i), chars.count)
        lastWasTyping = false
    }

    public mutating func undo() {
        guard let last = undoStack.popLast() else { return }
        chars = last.chars
        cursor = last.cursor
        lastWasTyping = false
    }

    private mutating func remember(typing: Bool) {
        if !(typing && lastWasTyping) { undoStack.append(Snapshot(chars: chars, cursor: cursor)) }
        lastWasTyping = typing
    }

    /// Word characters: letters, digits and `_`; everything else separates words, so a jump
    /// stops at each part of a URL and at `{{` `}}`.
    private func isWord(_ i: Int) -> Bool { chars[i].isLetter || chars[i].isNumber || chars[i] == "_" }

    private func wordStart(before i: Int) -> Int {
        var j = i
        while j > 0, !isWord(j - 1) { j -= 1 }
        while j > 0, isWord(j - 1) { j -= 1 }
        return j
    }

    private func wordEnd(after i: Int) -> Int {
        var j = i
        while j < chars.count, !isWord(j) { j += 1 }
        while j < chars.count, isWord(j) { j += 1 }
        return j
    }
}
