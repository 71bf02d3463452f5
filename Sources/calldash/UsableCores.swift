import Foundation
import NIOCore

/// The cores this process may run on: NIO's count follows cgroup limits, this one also follows
/// the CPU affinity mask (`taskset`), so a receiver given one core starts one event loop.
enum UsableCores {
    static var count: Int {
        min(affinity ?? System.coreCount, System.coreCount)
    }

    /// Bits set in `Cpus_allowed` of /proc/self/status (the affinity mask, in hex words).
    private static var affinity: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return nil }
        let hex = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let n = hex.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return n > 0 ? n : nil
    }
}
