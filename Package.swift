// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "calldash",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "calldash", targets: ["calldash"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already under AsyncHTTPClient: named for the trust roots of SSL_CERT_FILE.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1")
    ],
    targets: [
        // Pure: model, exact-lexeme parsing, store, journal codec. No NIO, no terminal.
        .target(
            name: "CallDashCore",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections")
            ]
        ),
        // The embedded HTTP receiver: a lean SwiftNIO HTTP/1.1 pipeline over the core.
        .target(
            name: "CallDashReceiver",
            dependencies: [
                "CallDashCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "DequeModule", package: "swift-collections")
            ]
        ),
        // Plays the provider: sends reports over HTTP with the 200/202 rule and retries.
        .target(
            name: "CallDashClient",
            dependencies: [
                "CallDashCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // Pure: cell buffer, text widths, themes, app state + update, views. No terminal.
        .target(name: "CallDashUI", dependencies: ["CallDashCore"]),
        // ncursesw, through a shim that makes its macros and globals importable.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // The only code that calls curses: screen setup, diffed drawing, keys, the UI loop.
        .target(name: "CallDashTerminal", dependencies: ["CallDashUI", "CallDashCore", "CNcursesw"]),
        .executableTarget(
            name: "calldash",
            dependencies: [
                "CallDashCore", "CallDashReceiver", "CallDashClient", "CallDashUI", "CallDashTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // Benchmark helpers: the reference NIO server and the in-process store/journal measurements.
        .executableTarget(
            name: "calldash-bench",
            dependencies: [
                "CallDashCore", "CallDashUI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        // The readers of untrusted bytes under a fuzzer (scripts/fuzz); without it, replays a corpus.
        .executableTarget(name: "calldash-fuzz", dependencies: ["CallDashCore", "CallDashUI"]),
        // Raw loopback sockets for the receiver and end-to-end tests.
        .target(name: "LoopbackSockets", path: "Tests/LoopbackSockets"),
        .testTarget(name: "CallDashCoreTests", dependencies: ["CallDashCore"]),
        // The snapshots are read from the source folder (they are recorded there), not bundled.
        .testTarget(name: "CallDashUITests", dependencies: ["CallDashUI", "CallDashCore"], exclude: ["Snapshots"]),
        .testTarget(name: "CallDashTerminalTests", dependencies: ["CallDashTerminal"]),
        .testTarget(
            name: "CallDashReceiverTests",
            dependencies: [
                "CallDashReceiver", "CallDashClient", "CallDashCore", "LoopbackSockets",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // Runs the built `calldash` binary (build it first: `swift build`); TLS for a proxy in front of it.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CallDashCore", "LoopbackSockets", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl")
            ],
            exclude: ["TLS"]
        )
    ],
    swiftLanguageModes: [.v6]
)
