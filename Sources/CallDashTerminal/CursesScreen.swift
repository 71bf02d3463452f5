import CNcursesw
import CallDashCore

#if canImport(Glibc)
    import Glibc
#endif

/// Owns curses from `initscr` to `endwin`. Create, use and end it on one thread only.
final class CursesScreen {
    /// Colours the terminal can show: 256, 8 (basic colours only) or 0 (none, or `NO_COLOR`).
    let colors: Int
    private var ended = false

    init(useColor: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        raw()
        noecho()
        nonl()
        keypad(cd_stdscr(), true)
        nodelay(cd_stdscr(), true)
        // The default waits a full second to tell Esc from the start of a key sequence.
        set_escdelay(25)
        curs_set(0)
        mousemask(cd_mouse_mask(), nil)
        mouseinterval(0)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colors = cd_colors() >= 256 ? 256 : 8
        } else {
            colors = 0
        }
        // Bracketed paste: pasted text arrives marked, so it is inserted as text, not run as keys.
        FileDescriptorOutput.writeAll(1, Array("\u{1B}[?2004h".utf8))
    }

    var width: Int { Int(cd_cols()) }
    var height: Int { Int(cd_lines()) }

    /// Gives the terminal back as it was for another program (an editor); `resume` takes it again.
    func suspend() {
        FileDescriptorOutput.writeAll(1, Array("\u{1B}[?2004l".utf8))
        def_prog_mode()
        endwin()
    }

    func resume() {
        reset_prog_mode()
        clearok(cd_stdscr(), true)
        refresh()
        FileDescriptorOutput.writeAll(1, Array("\u{1B}[?2004h".utf8))
    }

    /// Restores the terminal. Safe to call more than once.
    func end() {
        guard !ended else { return }
        ended = true
        FileDescriptorOutput.writeAll(1, Array("\u{1B}[?2004l".utf8))
        endwin()
    }

    deinit { end() }
}
