import CallDashCore

/// How call values read on screen, shared by the list, the detail and the export.
public enum CallText {
    /// A share as "66.7%": one decimal, rounded to nearest.
    public static func percent(_ p: Double) -> String {
        // Always one decimal, so that a figure keeps its width as it changes (58.0% beside 58.1%).
        let tenths = Int((p * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A count with thousands separators: 1,234,567.
    public static func count<T: BinaryInteger>(_ n: T) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0, c != "-" { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// A byte size: 512 B, 1.2 KiB, 3.4 MiB.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB"]
        var v = Double(n) / 1024
        var u = 0
        while v >= 1024, u < units.count - 1 {
            v /= 1024
            u += 1
        }
        return "\(Double(Int(v * 10)) / 10) \(units[u])"
    }

    /// `end_at − start_at` in seconds, when both parse.
    public static func span(_ f: ReportFields) -> Int64? {
        guard let s = f[.startAt].flatMap(Timestamp.providerSeconds), let e = f[.endAt].flatMap(Timestamp.providerSeconds) else {
            return nil
        }
        return e - s
    }
}
