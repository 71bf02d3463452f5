import Foundation

#if FUZZING
    /// libFuzzer's entry point (scripts/fuzz builds with `--sanitize fuzzer`): one input through the
    /// target named by CALLDASH_FUZZ_TARGET.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        FuzzRun.target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
#endif

enum FuzzRun {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CALLDASH_FUZZ_TARGET"] ?? ""
        guard let t = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(
                Data(
                    "calldash-fuzz: set CALLDASH_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
                        .utf8))
            exit(2)
        }
        return t
    }()
}

#if !FUZZING
    /// Without the fuzzer, `calldash-fuzz TARGET FILE…` runs each file through the target once
    /// (how the checked-in corpus and every crash found are replayed by the test suite).
    @main
    enum FuzzReplay {
        static func main() {
            let args = CommandLine.arguments.dropFirst()
            guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
                FileHandle.standardError.write(
                    Data(
                        "usage: calldash-fuzz TARGET FILE... (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))\n"
                            .utf8))
                exit(2)
            }
            var count = 0
            for path in args.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                target.run(Array(data))
                count += 1
            }
            print("\(name): \(count) inputs ran")
        }
    }
#endif
