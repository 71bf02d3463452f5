import DequeModule
import NIOCore

/// Answers in request order. HTTP/1.1 lets a client send several requests before reading any
/// answer; a journaled delivery's answer waits for its commit while a health check's does not,
/// so answers are parked in their request's slot and written once every earlier one is out.
struct ResponseQueue {
    struct Response {
        var bytes: ByteBuffer
        /// Close the connection once this answer is written.
        var close: Bool
    }

    private var slots: Deque<Response?> = []
    /// The slot id of `slots.first`.
    private var firstID = 0

    /// No request is waiting for its answer.
    var isEmpty: Bool { slots.isEmpty }

    /// A place for the answer to the request that just began.
    mutating func reserve() -> Int {
        slots.append(nil)
        return firstID + slots.count - 1
    }

    /// Parks an answer and returns every answer that may now be written, in order.
    mutating func fill(_ id: Int, _ response: Response) -> [Response] {
        let index = id - firstID
        guard index >= 0, index < slots.count, slots[index] == nil else { return [] }
        slots[index] = response
        var ready: [Response] = []
        while let first = slots.first, let response = first {
            ready.append(response)
            slots.removeFirst()
            firstID += 1
        }
        return ready
    }
}
