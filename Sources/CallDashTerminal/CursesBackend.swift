import CNcursesw
import CallDashUI

#if canImport(Glibc)
    import Glibc
#endif

/// Copies a cell buffer to the screen, writing only the cells that differ from the last frame.
final class CursesBackend {
    private let screen: CursesScreen
    private var previous: CellBuffer?
    private var pairs: [Int32: Int16] = [:]
    private var nextPair: Int16 = 1

    init(screen: CursesScreen) {
        self.screen = screen
    }

    /// Forgets what is on screen, so the next frame is drawn in full (after a resize).
    func invalidate() {
        previous = nil
        wclear(cd_stdscr())
    }

    /// Draws `buffer`.
    func present(_ buffer: CellBuffer) {
        var wide = [wchar_t](repeating: 0, count: 8)
        for change in buffer.diff(from: previous) {
            var n = 0
            for s in change.cell.text.unicodeScalars.prefix(wide.count - 1) {
                wide[n] = wchar_t(bitPattern: s.value)
                n += 1
            }
            wide[n] = 0
            let (attrs, pair) = attributes(change.cell.style)
            if cd_put(Int32(change.y), Int32(change.x), wide, attrs, pair) == cd_err() {
                var replacement: [wchar_t] = [0xFFFD, 0]
                _ = cd_put(Int32(change.y), Int32(change.x), &replacement, attrs, pair)
            }
        }
        previous = buffer
        wnoutrefresh(cd_stdscr())
        doupdate()
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var a = cd_a_normal()
        if style.attributes.contains(.bold) { a |= cd_a_bold() }
        if style.attributes.contains(.dim) { a |= cd_a_dim() }
        if style.attributes.contains(.underline) { a |= cd_a_underline() }
        if style.attributes.contains(.reverse) { a |= cd_a_reverse() }
        return (a, pair(style.fg, style.bg))
    }

    /// The colour pair for fg/bg, created on first use (pair 0 is the terminal's default).
    private func pair(_ fg: Color, _ bg: Color) -> Int16 {
        guard screen.colors > 0 else { return 0 }
        let (f, b) = screen.colors >= 256 ? (fg, bg) : (fg.basic, bg.basic)
        if f == .default && b == .default { return 0 }
        let key = Int32(f.index) << 16 | Int32(UInt16(bitPattern: b.index))
        if let p = pairs[key] { return p }
        guard Int32(nextPair) < cd_color_pairs(), nextPair < Int16.max else { return 0 }
        let p = nextPair
        nextPair += 1
        init_pair(p, f.index, b.index)
        pairs[key] = p
        return p
    }
}
