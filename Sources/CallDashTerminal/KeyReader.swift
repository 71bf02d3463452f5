import CNcursesw
import CallDashUI

/// What curses delivered: a key, a mouse action or a new terminal size.
enum TerminalInput {
    case key(Key)
    case mouse(MouseEvent)
    case resized
}

/// Turns `wget_wch` results into keys. Reads until curses has nothing more (it may hold
/// bytes that `poll` on stdin cannot see).
enum KeyReader {
    static func drain() -> [TerminalInput] {
        var out: [TerminalInput] = []
        var ch: wint_t = 0
        while true {
            let r = wget_wch(cd_stdscr(), &ch)
            if r == cd_err() { break }
            if r == cd_key_code_yes() {
                if let input = function(Int32(ch)) { out.append(input) }
            } else if let key = character(UInt32(ch)) {
                out.append(.key(key))
            }
        }
        return out
    }

    static func character(_ v: UInt32) -> Key? {
        switch v {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(v + 96)!))
        case 0, 28...31: return nil
        default: return Unicode.Scalar(v).map { .char(Character($0)) }
        }
    }

    static func function(_ code: Int32) -> TerminalInput? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .resized
        case KEY_MOUSE: return mouse()
        case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(code - KEY_F0)))
        default:
            // Ctrl-arrows have no fixed codes; terminfo names them kLFT5 and kRIT5.
            switch keyname(code).map({ String(cString: $0) }) {
            case "kLFT5": return .key(.wordLeft)
            case "kRIT5": return .key(.wordRight)
            default: return nil
            }
        }
    }

    static func mouse() -> TerminalInput? {
        var e = MEVENT()
        guard getmouse(&e) != cd_err() else { return nil }
        let x = Int(e.x)
        let y = Int(e.y)
        if e.bstate & cd_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
        if e.bstate & cd_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
        if e.bstate & (cd_button1_pressed() | cd_button1_clicked()) != 0 { return .mouse(MouseEvent(.click, x: x, y: y)) }
        return nil
    }
}
