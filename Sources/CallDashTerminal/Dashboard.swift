import CNcursesw
import CallDashCore
import CallDashUI
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
    public static let frameMillis: Int64 = 33

    private let store: ReportStore
    private let wake: WakePipe
    private let inbox = Mutex<[AppEvent]>([])
    private let stopping = Atomic<Bool>(false)

    public init(store: ReportStore) throws(TerminalError) {
        self.store = store
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
        var lastFrame: Int64 = 0
        var lastStore: Int64 = 0
        var lastTick = Self.monotonicMillis()
        var dirty = true
        var decoder = InputDecoder()
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]

        // Runs an event and its effects, then whatever those posted (a record read back from
        // the journal), so a frame never shows a state waiting on an answer already given.
        func handle(_ event: AppEvent) -> Bool {
            var queue = [event]
            while !queue.isEmpty {
                for e in queue {
                    for effect in state.update(e) {
                        switch effect {
                        case .quit: return false
                        case .copy(let text): OSC52.copy(text)
                        default: perform(effect)
                        }
                    }
                }
                queue = inbox.withLock { e in
                    defer { e.removeAll() }
                    return e
                }
            }
            dirty = true
            return true
        }

        while !stopping.load(ordering: .acquiring) {
            let now = Self.monotonicMillis()
            let untilFrame = dirty ? max(0, lastFrame + Self.frameMillis - now) : 1000
            let untilStore =
                store.version != seenVersion ? max(0, (state.showsStore ? lastFrame : lastStore) + Self.frameMillis - now) : 1000
            let untilTick = max(0, lastTick + 1000 - now)
            _ = poll(&fds, 2, Int32(min(untilFrame, untilStore, untilTick)))
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
            if t - lastTick >= 1000 {
                lastTick = t
                _ = handle(.tick(now: .now()))
            }
            // Take in new reports at most once a frame: just before drawing it on the Calls screen,
            // on a clock of their own on a screen that does not show them.
            if store.version != seenVersion, t - (state.showsStore ? lastFrame : lastStore) >= Self.frameMillis {
                lastStore = t
                let snap = store.snapshot()
                seenVersion = snap.version
                let wasDirty = dirty
                _ = handle(.storeChanged(snap, now: .now()))
                // A screen that shows nothing of the store (Compose) is not redrawn for new
                // reports, so under load its keystrokes are drawn at once, not in the next slot.
                if !state.showsStore { dirty = wasDirty }
            }
            if dirty, t - lastFrame >= Self.frameMillis {
                guard handle(.frame) else { break }
                if frame.width != state.width || frame.height != state.height {
                    frame = CellBuffer(width: state.width, height: state.height)
                }
                AppScreen.render(state, into: &frame)
                backend.present(frame)
                lastFrame = Self.monotonicMillis()
                dirty = false
            }
        }
    }

    static func monotonicMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
