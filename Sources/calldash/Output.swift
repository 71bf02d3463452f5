import Foundation

/// Writes straight to a file descriptor; stdout lines from several threads must not interleave.
enum Output {
    static func line(_ bytes: [UInt8], fd: Int32 = 1) {
        var buffer = bytes
        buffer.append(0x0A)
        write(buffer, fd: fd)
    }

    /// Writes all of `bytes`, retrying short writes; gives up silently if the reader is gone.
    static func write(_ buffer: [UInt8], fd: Int32) {
        buffer.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = Foundation.write(fd, p.baseAddress! + done, p.count - done)
                if n <= 0 {
                    if errno == EINTR { continue }
                    return
                }
                done += n
            }
        }
    }

    static func line(_ s: String, fd: Int32 = 1) { line(Array(s.utf8), fd: fd) }

    static func warn(_ s: String) { line("calldash: " + s, fd: 2) }
}
