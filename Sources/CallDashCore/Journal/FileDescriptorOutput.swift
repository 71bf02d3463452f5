#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing whole buffers to a file descriptor, shared by the journal and the command line's output.
public enum FileDescriptorOutput {
    /// Writes all of `bytes`, retrying short and interrupted writes; returns 0 or the errno that stopped it.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { p -> Int32 in
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
    }
}
