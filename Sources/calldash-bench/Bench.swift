import ArgumentParser

/// Measurements the benchmark script runs next to the real `calldash` binary.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldash-bench",
        abstract: "CallDash benchmark helpers (see benchmarks/README.md).",
        subcommands: [ReferenceServer.self, JournalBench.self, CoreIngestBench.self])
}
