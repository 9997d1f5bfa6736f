import ArgumentParser
import Foundation
import Hummingbird
import KMSAudit
import KMSCore
import KMSCrypto
import KMSHTTP
import KMSStorage
import Logging
import NIOCore
import NIOPosix

/// `trent serve`: runs the server on a data folder, creating it on first start.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Trent server.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 4599

    @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
    var data: String?

    @Flag(help: "Development mode: signatures are not verified and any access key is accepted.")
    var dev = false

    @Option(help: "Seconds between signed digests of the audit trail.")
    var auditDigestInterval = 300

    @Option(help: "Days the audit trail is kept; older records are trimmed at digest boundaries.")
    var auditRetentionDays = 365

    @Option(help: "Seconds between passes of the key scheduler (due rotations and deletions).")
    var scheduleInterval = 60

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        // Async work runs on the same event loops that do the sockets' I/O, so a request is not
        // handed between NIO's threads and Swift's cooperative pool and back (about 45 µs of CPU
        // per Encrypt under load). Blocking SQLite work stays on GRDB's own dispatch queues.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var logger = Logger(label: "trent") { ServerLogHandler(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let layout = try DataFolder(creating: DataFolder.resolve(data))
        let (rootKey, _) = try FileRootKeyProvider.loadOrCreate(at: layout.rootKeyPath)
        let repository = try SQLiteKeyRepository(path: layout.databasePath)
        // This process is the embedded store's only writer of keys, so key records can be cached.
        let service = KeyManagementService(repository: CachingKeyRepository(repository), rootKey: rootKey, logger: logger)

        // The administrator is made on the first start of an empty store, in either mode, so a
        // folder first used with --dev can later be served authenticated.
        let administrator = try await service.bootstrapAdministrator()
        let signer = try await AuditDigestSigner.load(store: repository, rootKey: rootKey, now: Date())
        try AuditDigestFormat.pem(signer.publicKey).write(toFile: layout.auditPublicKeyPath, atomically: true, encoding: .utf8)
        let digests = AuditMaintenance(
            store: repository, signer: signer, interval: .seconds(auditDigestInterval),
            retention: TimeInterval(auditRetentionDays) * 86400, logger: logger)
        // Most of the log is copied beside the commits, so the checkpoints SQLite runs inside
        // them find little left (see WALCheckpointer). Every 10 ms: with every commit flushed,
        // small passes keep each of the database file's flushes short, and those flushes share
        // the disk with the log's. Against 300 ms, 30 ms took the p99 at 64 connections from
        // about 14 to 9 ms (sixth session); against 30 ms, 10 ms took it from 4.75–5.16 to
        // 4.10–4.48 ms (eleventh session, docs/performance.md).
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(10)) { [logger] error in
            logger.warning("WAL checkpoint failed; will retry", metadata: ["error": "\(error)"])
        }
        let maintenance = Task { await digests.run() }
        defer { maintenance.cancel() }
        let scheduler = Task { await KeyScheduler(service: service, interval: .seconds(scheduleInterval), logger: logger).run() }
        defer { scheduler.cancel() }

        let authenticator: any RequestAuthenticator =
            dev ? DevModeAuthenticator() : SigV4Authenticator(service: service)

        let host = self.host
        let dev = self.dev
        let app = buildApplication(
            service: service, authenticator: authenticator, host: host, port: port, logger: logger
        ) { channel in
            let boundPort = channel.localAddress?.port ?? 0
            let endpoint = "http://\(host):\(boundPort)"
            var lines: [String] = []
            if dev {
                lines.append("trent: WARNING: development mode: requests are NOT authenticated; any access key is accepted.")
                lines.append("trent: a 12-digit access key id is taken as the account id, any other maps to account 000000000000.")
            }
            if let administrator, !dev {
                lines.append("trent: created administrator for account \(administrator.accountId); paste these lines into your shell:")
                lines.append("export AWS_ACCESS_KEY_ID=\(administrator.accessKeyId)")
                lines.append("export AWS_SECRET_ACCESS_KEY=\(administrator.secretAccessKey)")
                lines.append("export AWS_REGION=us-east-1")
                lines.append("export AWS_ENDPOINT_URL=\(endpoint)")
                lines.append("trent: the secret access key is shown only this once.")
            } else if let administrator {
                lines.append("trent: created administrator for account \(administrator.accountId) (for authenticated mode):")
                lines.append("export AWS_ACCESS_KEY_ID=\(administrator.accessKeyId)")
                lines.append("export AWS_SECRET_ACCESS_KEY=\(administrator.secretAccessKey)")
            }
            lines.append("trent: data in \(layout.path), root key \(rootKey.name)")
            lines.append("trent: listening on \(endpoint)")
            // Written straight to the descriptor, unbuffered: scripts wait for the last line.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await app.runService()
        // A last digest, so the trail is covered up to the shutdown.
        _ = try? await signer.digest(store: repository, now: Date())
        try? await checkpointer.stop()
        let commits = await service.commitStatistics()
        FileHandle.standardOutput.write(Data(
            ("trent: group commit wrote \(commits.items) requests in \(commits.transactions) transactions "
                + "(\(String(format: "%.1f", commits.itemsPerTransaction)) per disk flush, at most \(commits.largestBatch))\n").utf8))
        FileHandle.standardOutput.write(Data("trent: stopped\n".utf8))
    }
}
