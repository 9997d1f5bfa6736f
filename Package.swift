// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "trent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trent", targets: ["trent"]),
        .executable(name: "trent-microbench", targets: ["trent-microbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", exact: "1.5.0"),
    ],
    targets: [
        // Wire shapes: one request/response pair per AWS operation, AWS enums, KMSError.
        .target(name: "KMSModel"),
        // Key material, ciphertext blob format, root-key wrapping.
        .target(name: "KMSCrypto", dependencies: [
            "KMSModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // SigV4: canonical request and signature verification. Pure.
        .target(name: "KMSSigV4", dependencies: [
            "KMSCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Repository protocol, records, in-memory and SQLite implementations.
        .target(name: "KMSStorage", dependencies: [
            "KMSModel", "KMSCrypto",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The tamper-evident audit trail: CloudTrail records, signed digests, verification, export.
        .target(name: "KMSAudit", dependencies: [
            "KMSCrypto", "KMSStorage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // KeyManagementService: one file per AWS operation.
        .target(name: "KMSCore", dependencies: [
            "KMSModel", "KMSCrypto", "KMSStorage", "KMSAudit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Hummingbird application: AWS JSON 1.1 codec, SigV4 middleware, operation registry.
        .target(name: "KMSHTTP", dependencies: [
            "KMSModel", "KMSCore", "KMSSigV4",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "trent", dependencies: [
            "KMSHTTP", "KMSCore", "KMSStorage", "KMSCrypto", "KMSAudit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // Micro-benchmarks of the hot pieces: `swift run -c release trent-microbench`.
        .executableTarget(
            name: "trent-microbench",
            dependencies: [
                "KMSModel", "KMSCrypto", "KMSSigV4", "KMSAudit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/MicroBenchmarks"),

        .testTarget(name: "KMSModelTests", dependencies: ["KMSModel"]),
        .testTarget(name: "KMSCryptoTests", dependencies: ["KMSCrypto"]),
        .testTarget(name: "KMSSigV4Tests", dependencies: ["KMSSigV4"]),
        .testTarget(name: "KMSStorageTests", dependencies: ["KMSStorage"]),
        .testTarget(name: "KMSAuditTests", dependencies: [
            "KMSAudit", "KMSStorage", "KMSCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        .testTarget(name: "KMSCoreTests", dependencies: ["KMSCore", "KMSStorage", "KMSCrypto"]),
        .testTarget(name: "KMSHTTPTests", dependencies: [
            "KMSHTTP",
            "KMSCore", "KMSCrypto", "KMSSigV4", "KMSStorage", "KMSModel",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
