import CallDashCore
import Foundation
import LoopbackSockets
import Synchronization
import Testing

@testable import CallDashClient
@testable import CallDashReceiver

private func seqs(_ r: Recorder) -> [UInt64] {
    let snap = r.store.snapshot()
    return (0..<snap.count).map { snap[$0].seq }
}

@Suite("watch --remote: a receiver elsewhere followed into a store here")
struct RemoteFollowTests {
    @Test("the records held are paged in, then new ones come through the stream, each once, with the full record for the detail")
    func pagedThenStreamed() async throws {
        try await TestReceiver.run { r async throws in
            for _ in 0..<30 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
            let local = Recorder(store: ReportStore(capacity: 1_000), journal: nil, lastSeq: 0)
            let statuses = Mutex<[RemoteFollower.Status]>([])
            let follower = RemoteFollower(
                base: r.base + "/", token: nil, recorder: local, status: { s in statuses.withLock { $0.append(s) } }, skipped: { _ in })
            let following = Task { await follower.run() }
            #expect(await eventually { local.lastSeq == 30 }, "the records held were paged in")
            #expect(await eventually { statuses.withLock { $0.last } == .connected })
            for _ in 0..<10 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
            #expect(await eventually { local.lastSeq == 40 }, "new ones came through the stream")
            #expect(seqs(local) == Array(1...40), "none missed, none twice")
            let detail = try local.record(for: local.store.snapshot()[39])
            #expect(detail.seq == 40 && detail.fields[.mid] == "1234-1333-00042", "the full record is held for the detail")
            following.cancel()
            _ = await following.value
        }
    }

    @Test("forwards the remote made while this dashboard was not following are taken in when it follows again")
    func forwardsMissedWhileAway() async throws {
        try await TestReceiver.run { r async throws in
            for _ in 0..<5 { #expect(try await postJSON(r.base + "/ack", seedReport).status == 200) }
            let local = Recorder(store: ReportStore(capacity: 1_000), journal: nil, lastSeq: 0)
            let connected = Mutex(0)
            func follow() -> Task<String?, Never> {
                let follower = RemoteFollower(
                    base: r.base, token: nil, recorder: local, status: { s in if s == .connected { connected.withLock { $0 += 1 } } },
                    skipped: { _ in })
                return Task { await follower.run() }
            }
            var following = follow()
            #expect(await eventually { connected.withLock { $0 } == 1 && local.lastSeq == 5 })
            following.cancel()
            _ = await following.value
            let failed = ForwardAttempt(
                seq: 2, at: .now(), url: "http://127.0.0.1:3000/ack", attempt: 3, status: 500, ms: 4, error: "the app answered 500",
                delivered: false)
            r.recorder.recordForward(failed, final: true)
            r.recorder.recordForward(.notMade(4...5, url: "http://127.0.0.1:3000", why: ForwardAttempt.queueFull(limit: 5)), final: true)
            following = follow()
            #expect(await eventually { connected.withLock { $0 } == 2 })
            #expect(local.forwards.last(of: 2)?.error == "the app answered 500" && local.forwards.last(of: 2)?.attempt == 3)
            #expect(local.forwards.last(of: 5)?.error == ForwardAttempt.queueFull(limit: 5))
            #expect(local.forwards.last(of: 1) == nil && local.forwards.last(of: 3) == nil)
            #expect(seqs(local) == Array(1...5), "nothing taken twice")
            following.cancel()
            _ = await following.value
        }
    }

    @Test("while the remote receiver is down the status counts each wait down a second at a time, doubling")
    func reconnectCountdown() async throws {
        let gone = try #require(boundLoopbackSocket(), "a port that refuses connections")
        defer { close(gone.fd) }
        let local = Recorder(store: ReportStore(capacity: 1_000), journal: nil, lastSeq: 0)
        let statuses = Mutex<[RemoteFollower.Status]>([])
        let follower = RemoteFollower(
            base: "http://127.0.0.1:\(gone.port)", token: nil, recorder: local, status: { s in statuses.withLock { $0.append(s) } },
            skipped: { _ in })
        let following = Task { await follower.run() }
        #expect(await eventually(seconds: 60) { statuses.withLock { $0 }.count >= 4 }, "\(statuses.withLock { $0 })")
        following.cancel()
        _ = await following.value
        let waits = statuses.withLock { $0 }.compactMap { s -> Int? in
            if case .reconnecting(let left, _, let why) = s, why.contains("connection refused") { return left }
            return nil
        }
        #expect(Array(waits.prefix(4)) == [1, 2, 1, 4], "1 s, then 2 s counted down, then 4 s: \(statuses.withLock { $0 })")
    }

    @Test("the newest records that fit are loaded, and a refused token stops the following with the reason")
    func newestFirstAndTokenRefused() async throws {
        try await TestReceiver.run(token: "s3cret-k3y") { r async throws in
            let auth = [("Authorization", "Bearer s3cret-k3y")]
            for _ in 0..<30 { #expect(try await postJSON(r.base + "/ack", seedReport, headers: auth).status == 200) }
            let local = Recorder(store: ReportStore(capacity: 10), journal: nil, lastSeq: 0)
            let follower = RemoteFollower(base: r.base, token: "s3cret-k3y", recorder: local, status: { _ in }, skipped: { _ in })
            let following = Task { await follower.run() }
            #expect(await eventually { local.lastSeq == 30 })
            #expect(seqs(local) == Array(21...30), "the newest ten, as a receiver with --capacity 10 would hold")
            following.cancel()
            _ = await following.value

            let refused = Mutex<[RemoteFollower.Status]>([])
            let wrong = RemoteFollower(
                base: r.base, token: "nope", recorder: Recorder(store: ReportStore(), journal: nil, lastSeq: 0),
                status: { s in refused.withLock { $0.append(s) } }, skipped: { _ in })
            await wrong.run() // returns by itself: retrying a refused token would not help
            let last = try #require(refused.withLock { $0.last })
            guard case .stopped(let why) = last else {
                Issue.record("\(last)")
                return
            }
            #expect(why == "\(r.base) refused the token (401): give the receiver's with --token or CALLDASH_TOKEN", "\(why)")
        }
    }

    @Test("a remote receiver that started over (restarted without its journal) is said, and following stops with what was held")
    func remoteStartedOver() async throws {
        let first = try await TestReceiver.start()
        for _ in 0..<5 { #expect(try await postJSON(first.base + "/ack", seedReport).status == 200) }
        let local = Recorder(store: ReportStore(capacity: 1_000), journal: nil, lastSeq: 0)
        let following = Task {
            await RemoteFollower(base: first.base, token: nil, recorder: local, status: { _ in }, skipped: { _ in }).run()
        }
        #expect(await eventually { local.lastSeq == 5 })
        following.cancel()
        #expect(await following.value == nil, "cancelled, not stopped")
        await first.stop()
        // What the same address answers once restarted without its journal: calls numbered
        // from 1 again. The check is the first thing every connection does.
        let second = try await TestReceiver.start()
        for _ in 0..<2 { #expect(try await postJSON(second.base + "/ack", seedReport).status == 200) }
        let statuses = Mutex<[RemoteFollower.Status]>([])
        let behind = RemoteFollower(
            base: second.base, token: nil, recorder: local, status: { s in statuses.withLock { $0.append(s) } }, skipped: { _ in })
        let why = try #require(await behind.run(), "following stops by itself")
        #expect(why.contains("the remote receiver started over") && why.contains("it has no call #5 or later"), "\(why)")
        #expect(statuses.withLock { $0.last } == .stopped(why: why))
        // Past seq 5 again: its seq 5 is another call (received later).
        for _ in 0..<5 { #expect(try await postJSON(second.base + "/ack", seedReport).status == 200) }
        let other = RemoteFollower(base: second.base, token: nil, recorder: local, status: { _ in }, skipped: { _ in })
        let whyOther = await other.run()
        #expect(whyOther?.contains("its seq 5 is not the call shown here as #5") == true, "\(whyOther ?? "")")
        #expect(seqs(local) == Array(1...5), "what was held stays, and no call of the new history is taken for one of the old")
        await second.stop()
    }

    @Test("a remote receiver that only forgot the last call held (it has more after it) is followed on")
    func remoteForgotButWentOn() async throws {
        let remote = try await TestReceiver.start(capacity: 3, journaled: false)
        for _ in 0..<5 { #expect(try await postJSON(remote.base + "/ack", seedReport).status == 200) }
        let local = Recorder(store: ReportStore(capacity: 1_000), journal: nil, lastSeq: 0)
        let first = RemoteFollower(base: remote.base, token: nil, recorder: local, status: { _ in }, skipped: { _ in })
        let following = Task { await first.run() }
        #expect(await eventually { local.lastSeq == 5 })
        following.cancel()
        _ = await following.value
        // Ten more while nobody follows: seq 5 has left the remote's memory, and it has no journal.
        for _ in 0..<10 { #expect(try await postJSON(remote.base + "/ack", seedReport).status == 200) }
        let statuses = Mutex<[RemoteFollower.Status]>([])
        let second = RemoteFollower(
            base: remote.base, token: nil, recorder: local, status: { s in statuses.withLock { $0.append(s) } }, skipped: { _ in })
        let again = Task { await second.run() }
        #expect(await eventually { statuses.withLock { $0.last } == .connected && local.lastSeq == 15 }, "\(statuses.withLock { $0 })")
        #expect(seqs(local) == [3, 4, 5, 13, 14, 15], "the remote's newest three, after what was held")
        again.cancel()
        #expect(await again.value == nil)
        await remote.stop()
    }

    @Test("server-sent events are read across chunks, comments skipped, and an oversize event refused")
    func eventParsing() throws {
        var events = ServerSentEvents(maxEvent: 64)
        var got = try events.take(Array(": connected\n\nid: 7\nevent: deli".utf8))
        #expect(got.isEmpty)
        got = try events.take(Array("very\ndata: {\"a\":\ndata: 1}\n\nevent: forward\r\ndata: x\r\n\r\n".utf8))
        #expect(got == [.init(name: "delivery", id: "7", data: Array("{\"a\":\n1}".utf8)), .init(name: "forward", data: Array("x".utf8))])
        #expect(throws: ReceiverQueryFailure.self) { try events.take([UInt8](repeating: 0x61, count: 100)) }
    }
}
