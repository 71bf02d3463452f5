import NIOCore

/// Keeps a view of the first bytes of the latest read, ahead of the request decoder, so that a
/// request the decoder refuses for its method can still be recorded with the method it sent.
/// The bytes are copied into one reused array: a slice would keep the read buffer alive, so NIO
/// could no longer reuse it for the next read (that cost an allocation per read).
final class RequestStartSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Room for the longest method token worth recording and the space after it.
    private var latest = [UInt8](repeating: 0, count: 32)
    /// How many of `latest` came from the latest read (the rest are an older read's).
    private var latestCount = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        latestCount = buffer.withUnsafeReadableBytes { read in
            latest.withUnsafeMutableBytes { kept in
                let n = min(read.count, kept.count)
                kept.copyMemory(from: UnsafeRawBufferPointer(rebasing: read.prefix(n)))
                return n
            }
        }
        context.fireChannelRead(data)
    }

    /// The method token the latest read starts with, if it starts with one (`FOO /path`).
    var methodToken: String? {
        let bytes = latest.prefix(latestCount)
        guard let space = bytes.firstIndex(of: 0x20), space > 0 else { return nil }
        let token = bytes[..<space]
        // RFC 9110 tchar: letters, digits and !#$%&'*+-.^_`|~
        let ok = token.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
        return ok ? String(decoding: token, as: UTF8.self) : nil
    }
}
