import CallDashCore

/// Writes straight to a file descriptor; stdout lines from several threads must not interleave.
enum Output {
    static func line(_ bytes: [UInt8], fd: Int32 = 1) {
        var buffer = bytes
        buffer.append(0x0A)
        write(buffer, fd: fd)
    }

    /// Writes all of `bytes`; gives up silently if the reader is gone.
    static func write(_ buffer: [UInt8], fd: Int32) {
        FileDescriptorOutput.writeAll(fd, buffer)
    }

    static func line(_ s: String, fd: Int32 = 1) { line(Array(s.utf8), fd: fd) }

    static func warn(_ s: String) { line("calldash: " + s, fd: 2) }
}
