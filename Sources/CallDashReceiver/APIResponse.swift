import CallDashCore
import NIOCore

/// What a `/_calldash/` endpoint answers; the connection's handler writes it.
enum APIResponse {
    case bytes(status: Int, contentType: String, body: ByteBuffer)
    case error(status: Int, reason: String)
    /// Prepared off the event loop (a search): bytes or an error, completed on the loop.
    case later(EventLoopFuture<APIResponse>)
    /// The connection becomes an event stream, resuming after `after` when set.
    case stream(after: UInt64?)

    static func json(_ text: String, allocator: ByteBufferAllocator) -> APIResponse {
        var body = allocator.buffer(capacity: text.utf8.count)
        body.writeString(text)
        return .bytes(status: 200, contentType: "application/json", body: body)
    }

    /// `{"ok":false,"error":…}`, with the delivery's seq when it was recorded.
    static func errorBody(_ reason: String, seq: UInt64?, allocator: ByteBufferAllocator) -> ByteBuffer {
        var w = JSONWriter(capacity: 64 + reason.utf8.count)
        w.raw("{\"ok\":false,\"error\":")
        w.string(reason)
        if let seq {
            w.raw(",\"seq\":")
            w.int(seq)
        }
        w.raw("}")
        var body = allocator.buffer(capacity: w.count)
        body.writeBytes(w.bytes)
        return body
    }
}
