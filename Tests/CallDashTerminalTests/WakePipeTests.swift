import Foundation
import Testing

@testable import CallDashTerminal

@Suite("Waking the UI thread")
struct WakePipeTests {
    /// Waits up to `ms` for the pipe to become readable.
    func readable(_ pipe: WakePipe, within ms: Int32) -> Bool {
        var fd = pollfd(fd: pipe.readFD, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, ms) == 1
    }

    @Test func aSignalAfterADrainWakesTheNextPoll() throws {
        let pipe = try WakePipe()
        #expect(!readable(pipe, within: 0))
        pipe.signal()
        pipe.signal()
        #expect(readable(pipe, within: 100))
        pipe.drain()
        #expect(!readable(pipe, within: 0))
        pipe.signal()
        #expect(readable(pipe, within: 100))
    }

    @Test func signalsRacingDrainsNeverLeaveTheLoopAsleep() throws {
        let pipe = try WakePipe()
        let done = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<1_000_000 { pipe.signal() }
            done.signal()
        }.start()
        var finished = false
        while !finished {
            if readable(pipe, within: 10) { pipe.drain() }
            finished = done.wait(timeout: .now()) == .success
        }
        // Drain as the loop does, only when woken; whatever the interleaving was, the next
        // signal must still reach poll.
        if readable(pipe, within: 0) { pipe.drain() }
        pipe.signal()
        #expect(readable(pipe, within: 1000), "a wake-up was lost: the UI would only redraw on its 1 s tick")
    }
}
