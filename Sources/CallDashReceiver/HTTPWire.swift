import NIOCore
import NIOHTTP1

/// Writes HTTP/1.1 response bytes directly. The receiver's answers are small and their headers
/// constant, so formatting them in one buffer replaces NIO's response encoder and pipelining
/// handler, which cost a write through three handlers per answer.
enum HTTPWire {
    static func response(
        version: HTTPVersion, status: Int, contentType: String, body: ByteBuffer?, keepAlive: Bool,
        allocator: ByteBufferAllocator, extraHeaders: [(String, String)] = []
    ) -> ByteBuffer {
        let sent = allowsContent(status) ? body : nil
        var out = allocator.buffer(capacity: 160 + (sent?.readableBytes ?? 0))
        writeHead(
            version: version, status: status, contentType: contentType, contentLength: sent?.readableBytes, keepAlive: keepAlive,
            extraHeaders: extraHeaders, into: &out)
        if var sent { out.writeBuffer(&sent) }
        return out
    }

    /// The answer to an accepted delivery, `{"ok":true,"seq":N}`, in one buffer: the most
    /// frequent answer by far, so its body is not built apart and copied in.
    static func accepted(version: HTTPVersion, status: Int, seq: UInt64, keepAlive: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
        let start: StaticString = "{\"ok\":true,\"seq\":"
        let digits = String(seq)
        let content = allowsContent(status)
        var out = allocator.buffer(capacity: 192)
        writeHead(
            version: version, status: status, contentType: "application/json",
            contentLength: content ? start.utf8CodeUnitCount + digits.utf8.count + 1 : nil, keepAlive: keepAlive, extraHeaders: [],
            into: &out)
        if content {
            out.writeStaticString(start)
            out.writeString(digits)
            out.writeStaticString("}")
        }
        return out
    }

    /// RFC 9110: 204, 205 and 304 carry no content (`--respond` may be any of them); a client
    /// would read a body sent anyway as the start of the next answer.
    private static func allowsContent(_ status: Int) -> Bool {
        status != 204 && status != 205 && status != 304
    }

    private static func writeHead(
        version: HTTPVersion, status: Int, contentType: String, contentLength: Int?, keepAlive: Bool,
        extraHeaders: [(String, String)], into out: inout ByteBuffer
    ) {
        if version == .http1_1 && status == 200 && contentType == "application/json" {
            out.writeStaticString("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n") // the hot path
        } else {
            out.writeString("HTTP/\(version.major).\(version.minor) \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n")
            out.writeString("content-type: \(contentType)\r\n")
        }
        if let contentLength {
            out.writeStaticString("content-length: ")
            out.writeString(String(contentLength))
            out.writeStaticString("\r\n")
        } else if status == 205 {
            out.writeStaticString("content-length: 0\r\n") // a 205 says it has none; 204 and 304 may not
        }
        if !keepAlive {
            out.writeStaticString("connection: close\r\n")
        } else if version.major == 1 && version.minor == 0 {
            out.writeStaticString("connection: keep-alive\r\n")
        }
        // Every 401 says how to authenticate, also one a user chose with `--respond 401`.
        if status == 401 { out.writeStaticString("www-authenticate: Bearer\r\n") }
        for (name, value) in extraHeaders { out.writeString("\(name): \(value)\r\n") }
        out.writeStaticString("\r\n")
    }
}
