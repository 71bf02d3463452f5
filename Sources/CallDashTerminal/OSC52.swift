import CallDashCore
import Foundation

/// Puts text on the clipboard of the terminal the user sits at: the OSC 52 escape sequence
/// travels through SSH and tmux (with `set-clipboard on`), where no local clipboard tool can.
enum OSC52 {
    static func sequence(_ text: String) -> [UInt8] {
        Array("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}".utf8)
    }

    static func copy(_ text: String) {
        FileDescriptorOutput.writeAll(1, sequence(text))
    }
}
