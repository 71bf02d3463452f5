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

    /// What an editing key does.
    public enum Command: Sendable, Equatable {
        case left, right, home, end, wordLeft, wordRight
        case deleteBack, deleteForward, deleteWordBack, deleteWordForward, deleteToStart, deleteToEnd
        case undo
    }

    /// The keys of every line being typed (a search, a Compose row); any other character is typed.
    public static let bindings = BindingTable<Command>(
        "Typing a line",
        [
            (
                "Typing a line",
                [
                    Binding([.left, .ctrl("b")], .left, "a character left"),
                    Binding([.right, .ctrl("f")], .right, "a character right"),
                    Binding([.home, .ctrl("a")], .home, "to the start", bar: BarItem("start/end", rank: 5, keys: "^A/^E")),
                    Binding([.end, .ctrl("e")], .end, "to the end"),
                    Binding([.wordLeft, .alt("b")], .wordLeft, "a word left"),
                    Binding([.wordRight, .alt("f")], .wordRight, "a word right"),
                    Binding([.backspace, .ctrl("h")], .deleteBack, "delete back"),
                    Binding([.delete, .ctrl("d")], .deleteForward, "delete forward"),
                    Binding([.ctrl("w")], .deleteWordBack, "delete a word back", bar: BarItem("delete word", rank: 4)),
                    Binding([.alt("d")], .deleteWordForward, "delete a word forward"),
                    Binding([.ctrl("u")], .deleteToStart, "delete to the start"),
                    Binding([.ctrl("k")], .deleteToEnd, "delete to the end"),
                    Binding([.ctrl("z"), .ctrl("_")], .undo, "undo typing", bar: BarItem("undo", rank: 3))
                ]
            )
        ])

    /// Applies a key; false when the key is not an editing key (the caller handles it).
    public mutating func handle(_ key: Key) -> Bool {
        if let command = Self.bindings.command(for: key) {
            perform(command)
            return true
        }
        switch key {
        case .char(let c): type(String(c))
        case .paste(let s): insert(s)
        default: return false
        }
        return true
    }

    private mutating func perform(_ command: Command) {
        switch command {
        case .left: move(to: cursor - 1)
        case .right: move(to: cursor + 1)
        case .home: move(to: 0)
        case .end: move(to: chars.count)
        case .wordLeft: move(to: wordStart(before: cursor))
        case .wordRight: move(to: wordEnd(after: cursor))
        case .deleteBack: delete(cursor - 1..<cursor)
        case .deleteForward: delete(cursor..<cursor + 1)
        case .deleteWordBack: delete(wordStart(before: cursor)..<cursor)
        case .deleteWordForward: delete(cursor..<wordEnd(after: cursor))
        case .deleteToStart: delete(0..<cursor)
        case .deleteToEnd: delete(cursor..<chars.count)
        case .undo: undo()
        }
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
