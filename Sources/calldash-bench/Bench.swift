import ArgumentParser

/// Measurements the benchmark script runs next to the real `calldash` binary.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calldash-bench",
        abstract: "CallDash benchmark helpers, run by scripts/bench (README, \"Benchmarks\").",
        subcommands: [ReferenceServer.self, JournalBench.self, SearchBench.self, CoreIngestBench.self, UIBench.self, StatsBench.self])
}
