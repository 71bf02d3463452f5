import CNcursesw
import CallDashCore
import CallDashUI
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The UI loop. One thread runs it and owns curses from start to end; other threads only
/// post events or say that the store changed, which wakes it through a pipe.
///
/// Each pass: block in `poll` on stdin and the wake pipe (or until the next frame or tick is
/// due), drain keys, events and the store's new version through `update`, run the effects,
/// and draw at most one frame per 33 ms, writing only the cells that changed.
public final class Dashboard: Sendable {
    private let store: ReportStore
    /// Forward attempts (`--forward-to`): a new one is an event, as new reports are.
    private let forwards: ForwardLog?
    private let wake: WakePipe
    private let inbox = Mutex<[AppEvent]>([])
    private let stopping = Atomic<Bool>(false)

    public init(store: ReportStore, forwards: ForwardLog? = nil) throws(TerminalError) {
        self.store = store
        self.forwards = forwards
        wake = try WakePipe()
    }

    /// Hands an event to the UI thread (from any thread).
    public func post(_ event: AppEvent) {
        inbox.withLock { $0.append(event) }
        wake.signal()
    }

    /// Tells the UI thread the store has new reports (from any thread; cheap under load).
    public func storeChanged() { wake.signal() }

    /// Asks the loop to end and restore the terminal (from any thread, e.g. on SIGTERM).
    public func stop() {
        stopping.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Runs until the user quits or `stop` is called; the terminal is restored on every way out.
    /// `perform` runs the effects other than quitting and copying on this thread: it must hand
    /// slow work elsewhere and `post` the result.
    public func run(_ initial: AppState, useColor: Bool, perform: (Effect) -> Void) {
        let screen = CursesScreen(useColor: useColor)
        defer { screen.end() }
        let backend = CursesBackend(screen: screen)
        var state = initial
        var frame = CellBuffer(width: 0, height: 0)
        _ = state.update(.resize(width: screen.width, height: screen.height))
        var seenVersion: UInt64 = 0
        var seenForwards = forwards?.version ?? 0
        var clock = FrameClock(now: Self.monotonicMillis())
        var decoder = InputDecoder()
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]

        // Runs an event and its effects, then whatever those posted (a record read back from
        // the journal), so a frame never shows a state waiting on an answer already given.
        func handle(_ event: AppEvent, redraw: Bool = true) -> Bool {
            var queue = [event]
            while !queue.isEmpty {
                for e in queue {
                    for effect in state.update(e) {
                        switch effect {
                        case .quit: return false
                        case .copy(let text): OSC52.copy(text)
                        case .editBody(let request, let seq):
                            // The editor has the terminal until it closes: nothing else draws meanwhile.
                            let result = ExternalEditor.edit(request.body, environment: ProcessInfo.processInfo.environment, screen: screen)
                            backend.invalidate()
                            inbox.withLock { $0.append(.edited(seq: seq, result)) }
                        default: perform(effect)
                        }
                    }
                }
                queue = inbox.withLock { e in
                    defer { e.removeAll() }
                    return e
                }
            }
            if redraw { clock.changed() }
            return true
        }

        while !stopping.load(ordering: .acquiring) {
            let wait = clock.wait(now: Self.monotonicMillis(), storeChanged: store.version != seenVersion, showsStore: state.showsStore)
            _ = poll(&fds, 2, Int32(wait))
            if fds[1].revents != 0 { wake.drain() }

            var running = true
            var keys: [Key] = []
            func typed() {
                for k in decoder.decode(keys) where running { running = handle(.key(k)) }
                keys = []
            }
            for input in KeyReader.drain() where running {
                if case .key(let k) = input {
                    keys.append(k)
                    continue
                }
                typed()
                switch input {
                case .key: break
                case .mouse(let m): running = handle(.mouse(m))
                case .resized:
                    backend.invalidate()
                    running = handle(.resize(width: screen.width, height: screen.height))
                }
            }
            typed()
            for event in inbox.withLock({ e in
                defer { e.removeAll() }
                return e
            }) where running {
                running = handle(event)
            }
            guard running else { break }

            let t = Self.monotonicMillis()
            if clock.takeTick(now: t) { _ = handle(.tick(now: .now())) }
            if store.version != seenVersion, clock.takeStore(now: t, showsStore: state.showsStore) {
                let snap = store.snapshot()
                seenVersion = snap.version
                // A screen that shows nothing of the store (Compose) is not redrawn for new
                // reports, so under load its keystrokes are drawn at once, not in the next slot.
                _ = handle(.storeChanged(snap, now: .now()), redraw: state.showsStore)
            }
            if let forwards, forwards.version != seenForwards {
                seenForwards = forwards.version
                _ = handle(.forwardsChanged, redraw: state.showsStore)
            }
            if clock.frameDue(now: t) {
                guard handle(.frame) else { break }
                if frame.width != state.width || frame.height != state.height {
                    frame = CellBuffer(width: state.width, height: state.height)
                }
                AppScreen.render(state, into: &frame)
                backend.present(frame)
                clock.drawn(at: Self.monotonicMillis())
            }
        }
    }

    static func monotonicMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
