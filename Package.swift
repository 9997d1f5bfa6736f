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
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
    ],
    targets: [
        // Wire shapes: one request/response pair per AWS operation, AWS enums, KMSError.
        .target(name: "KMSModel"),
        // OpenSSL 3's libcrypto (Debian `libssl-dev`), for what swift-crypto has no API for:
        // RSA with caller-supplied digests, secp256k1, SM2/SM3 and HMAC-SHA-224.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Thin, memory-safe Swift types over COpenSSL: keys own their EVP_PKEY, errors are Swift errors.
        .target(name: "KMSOpenSSL", dependencies: ["COpenSSL"]),
        // libsodium (Debian `libsodium-dev`), for Ed25519ph alone.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(name: "KMSSodium", dependencies: ["CSodium"]),
        // Key material, ciphertext blob format, root-key wrapping, every key spec's algorithms.
        .target(name: "KMSCrypto", dependencies: [
            "KMSModel", "KMSOpenSSL", "KMSSodium",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // Policy documents, condition operators, grants and the authorization decision. Pure:
        // no dependencies, no I/O.
        .target(name: "KMSPolicy"),
        // SigV4: canonical request and signature verification. Pure.
        .target(name: "KMSSigV4", dependencies: [
            "KMSCrypto", "KMSOpenSSL",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Keeps space written ahead at the end of the SQLite database file (see
        // DatabaseFileReserve): a method table of its own for the file, in C.
        .target(name: "CSQLiteReserve", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Repository protocol, records, in-memory and SQLite implementations.
        .target(name: "KMSStorage", dependencies: [
            "KMSModel", "KMSCrypto", "CSQLiteReserve",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API, for the audit trail's INSERT (see AuditRowInsert).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
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
            "KMSModel", "KMSCrypto", "KMSStorage", "KMSAudit", "KMSPolicy",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Hummingbird application: AWS JSON 1.1 codec, SigV4 middleware, operation registry.
        .target(name: "KMSHTTP", dependencies: [
            "KMSModel", "KMSCore", "KMSSigV4", "KMSAudit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "trent", dependencies: [
            "KMSHTTP", "KMSCore", "KMSStorage", "KMSCrypto", "KMSAudit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Micro-benchmarks of the hot pieces: `swift run -c release trent-microbench`.
        .executableTarget(
            name: "trent-microbench",
            dependencies: [
                "KMSModel", "KMSCrypto", "KMSSigV4", "KMSAudit", "KMSStorage", "KMSPolicy", "KMSCore", "KMSHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Benchmarks/MicroBenchmarks"),

        .testTarget(name: "KMSModelTests", dependencies: ["KMSModel"]),
        .testTarget(name: "KMSCryptoTests", dependencies: [
            "KMSCrypto", "KMSOpenSSL", "KMSSodium", "KMSModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "KMSSigV4Tests", dependencies: ["KMSSigV4"]),
        .testTarget(name: "KMSPolicyTests", dependencies: ["KMSPolicy"]),
        .testTarget(name: "KMSStorageTests", dependencies: ["KMSStorage", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KMSAuditTests", dependencies: [
            "KMSAudit", "KMSStorage", "KMSCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        .testTarget(name: "KMSCoreTests", dependencies: ["KMSCore", "KMSStorage", "KMSCrypto", "KMSPolicy"]),
        .testTarget(name: "KMSHTTPTests", dependencies: [
            "KMSHTTP",
            "KMSCore", "KMSCrypto", "KMSSigV4", "KMSStorage", "KMSModel",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
    ]
)

// Nonisolated async functions run on their caller's executor (SE-0461) instead of hopping to the
// generic executor at every call: under NIO's executor hook (`trent serve`) each such hop was a
// job through the event loop's queue, about 26 per Encrypt. Every target of the package builds
// with it, since a module built without it mangles this package's async closure parameters
// differently and does not link against one built with it.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
}
