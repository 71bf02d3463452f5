import Testing

@testable import CallDashUI

@Suite("The buffer diff writes only what changed, wide characters included")
struct CellBufferDiffTests {
    private func buffer(_ text: String, width: Int = 6) -> CellBuffer {
        var b = CellBuffer(width: width, height: 1)
        b.put(text, x: 0, y: 0, .plain)
        return b
    }

    private func written(_ changes: [CellBuffer.Change]) -> [String] { changes.map { "\($0.x):\($0.cell.text)" } }

    @Test("no previous frame, or another size, writes every cell but wide characters' second halves")
    func fullFrame() {
        #expect(written(buffer("a日b").diff(from: nil)) == ["0:a", "1:日", "3:b", "4: ", "5: "])
        #expect(buffer("abc").diff(from: buffer("abc", width: 5)).count == 6)
    }

    @Test("an unchanged frame writes nothing; one changed cell writes that cell")
    func onlyChanges() {
        #expect(buffer("abc").diff(from: buffer("abc")).isEmpty)
        #expect(written(buffer("abX").diff(from: buffer("abc"))) == ["1:b", "2:X"], "b again: its right neighbour changed")
    }

    @Test("a wide character replacing two narrow ones, and narrow ones replacing it, redraw the pair")
    func wideNeighbours() {
        #expect(written(buffer("日c").diff(from: buffer("abc"))) == ["0:日"])
        #expect(written(buffer("abc").diff(from: buffer("日c"))) == ["0:a", "1:b"])
        // A wide character whose right half was overwritten by a narrow one is blanked whole.
        var b = buffer("日本")
        b.put("x", x: 1, y: 0, .plain)
        #expect(b.lines == [" x本  "])
        #expect(written(b.diff(from: buffer("日本"))) == ["0: ", "1:x"])
    }

    @Test("a style change alone is written")
    func styleChange() {
        var b = buffer("abc")
        b.fill(Rect(x: 2, y: 0, width: 1, height: 1), Style(fg: .red))
        b.put("c", x: 2, y: 0, Style(fg: .red))
        #expect(written(b.diff(from: buffer("abc"))) == ["1:b", "2:c"])
    }
}

@Suite("The frame clock: at most one frame per 33 ms, the store taken in before a frame, a tick a second")
struct FrameClockTests {
    @Test("a frame is due at once, then not again within 33 ms of the last one")
    func frameRate() {
        var c = FrameClock(now: 0)
        #expect(c.frameDue(now: 0))
        c.drawn(at: 0)
        #expect(!c.frameDue(now: 10), "nothing changed")
        c.changed()
        #expect(!c.frameDue(now: 20) && c.wait(now: 20, storeChanged: false, showsStore: true) == 13)
        #expect(c.frameDue(now: 33))
    }

    @Test("new reports wait for the next frame slot on Calls, and for their own slot on Compose")
    func storeSlots() {
        var c = FrameClock(now: 0)
        c.drawn(at: 100)
        let early = c.takeStore(now: 120, showsStore: true)
        #expect(!early)
        #expect(c.wait(now: 120, storeChanged: true, showsStore: true) == 13)
        let due = c.takeStore(now: 133, showsStore: true)
        let again = c.takeStore(now: 140, showsStore: false)
        let later = c.takeStore(now: 166, showsStore: false)
        #expect(due && !again && later, "on its own clock the slot after 133 is 166")
    }

    @Test("a tick comes once a second, and the loop sleeps no longer than until it")
    func ticks() {
        var c = FrameClock(now: 0)
        c.drawn(at: 0)
        #expect(c.wait(now: 400, storeChanged: false, showsStore: true) == 600)
        let ticks = [999, 1000, 1500, 2001].map { c.takeTick(now: $0) }
        #expect(ticks == [false, true, false, true])
    }
}
