/// When the UI loop draws, takes in the store, and ticks, as a value driven by a clock in
/// milliseconds (monotonic in the terminal loop, made up in tests): at most one frame per
/// `frameMillis`, new reports taken in just before a frame on a screen that shows them (on a
/// clock of their own elsewhere), and a tick each second.
public struct FrameClock: Sendable, Equatable {
    public static let frameMillis: Int64 = 33

    private var lastFrame: Int64
    private var lastStore: Int64
    private var lastTick: Int64
    /// Something changed that is not drawn yet.
    public private(set) var dirty = true

    /// The first frame and store are due at once, the first tick a second from `now`.
    public init(now: Int64) {
        lastFrame = now - Self.frameMillis
        lastStore = now - Self.frameMillis
        lastTick = now
    }

    /// How long the loop may sleep before something is due.
    public func wait(now: Int64, storeChanged: Bool, showsStore: Bool) -> Int64 {
        let untilFrame = dirty ? max(0, lastFrame + Self.frameMillis - now) : 1000
        let untilStore = storeChanged ? max(0, (showsStore ? lastFrame : lastStore) + Self.frameMillis - now) : 1000
        let untilTick = max(0, lastTick + 1000 - now)
        return min(untilFrame, untilStore, untilTick)
    }

    /// Whether a second has passed since the last tick (and if so, the tick is taken now).
    public mutating func takeTick(now: Int64) -> Bool {
        guard now - lastTick >= 1000 else { return false }
        lastTick = now
        return true
    }

    /// Whether the store's new version should be taken in now (and if so, it is).
    public mutating func takeStore(now: Int64, showsStore: Bool) -> Bool {
        guard now - (showsStore ? lastFrame : lastStore) >= Self.frameMillis else { return false }
        lastStore = now
        return true
    }

    /// Marks the state changed: a frame is due.
    public mutating func changed() { dirty = true }

    /// Whether a frame should be drawn now; `drawn` then records it.
    public func frameDue(now: Int64) -> Bool { dirty && now - lastFrame >= Self.frameMillis }

    public mutating func drawn(at now: Int64) {
        lastFrame = now
        dirty = false
    }
}
