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
        var out = allocator.buffer(capacity: 160 + (body?.readableBytes ?? 0))
        if version == .http1_1 && status == 200 && contentType == "application/json" {
            out.writeStaticString("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n") // the hot path
        } else {
            out.writeString("HTTP/\(version.major).\(version.minor) \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase)\r\n")
            out.writeString("content-type: \(contentType)\r\n")
        }
        if let body {
            out.writeStaticString("content-length: ")
            out.writeString(String(body.readableBytes))
            out.writeStaticString("\r\n")
        }
        if !keepAlive {
            out.writeString("connection: close\r\n")
        } else if version.major == 1 && version.minor == 0 {
            out.writeString("connection: keep-alive\r\n")
        }
        for (name, value) in extraHeaders { out.writeString("\(name): \(value)\r\n") }
        out.writeString("\r\n")
        if var body { out.writeBuffer(&body) }
        return out
    }
}
