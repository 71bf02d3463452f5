/// A `text/event-stream` read in chunks: complete events out, the rest kept (bounded).
struct ServerSentEvents {
    struct Event: Equatable {
        var name = "message"
        var id: String?
        var data: [UInt8] = []
    }

    let maxEvent: Int
    private var pending: [UInt8] = []
    /// How far `pending` has been searched for the end of an event.
    private var scanned = 0

    init(maxEvent: Int) { self.maxEvent = maxEvent }

    /// The events completed by `bytes` (an event ends at a blank line; comments are skipped).
    mutating func take(_ bytes: some Collection<UInt8>) throws -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        while let end = Self.blankLine(in: pending, from: max(start, scanned - 2)) {
            if let e = Self.event(pending[start..<end.lowerBound]) { events.append(e) }
            start = end.upperBound
        }
        pending.removeFirst(start)
        scanned = pending.count
        if pending.count > maxEvent { throw ReceiverQueryFailure("the stream sent an event over \(maxEvent) bytes") }
        return events
    }

    /// The next `\n\n` (or `\r\n\r\n`) at or after `from`.
    private static func blankLine(in b: [UInt8], from: Int) -> Range<Int>? {
        var i = from
        while i + 1 < b.count {
            if b[i] == 0x0A, b[i + 1] == 0x0A { return i..<(i + 2) }
            if b[i] == 0x0A, b[i + 1] == 0x0D, i + 2 < b.count, b[i + 2] == 0x0A { return i..<(i + 3) }
            i += 1
        }
        return nil
    }

    private static func event(_ block: ArraySlice<UInt8>) -> Event? {
        var e = Event()
        var sawData = false
        for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard line.first != UInt8(ascii: ":") else { continue }
            let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
            let field = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            var value = colon < line.endIndex ? line[(colon + 1)...] : []
            if value.first == 0x20 { value = value.dropFirst() }
            switch field {
            case "event": e.name = String(decoding: value, as: UTF8.self)
            case "id": e.id = String(decoding: value, as: UTF8.self)
            case "data":
                if sawData { e.data.append(0x0A) }
                e.data.append(contentsOf: value)
                sawData = true
            default: break
            }
        }
        return sawData ? e : nil
    }
}
