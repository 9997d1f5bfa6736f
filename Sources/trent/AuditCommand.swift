import ArgumentParser
import Crypto
import Foundation
import KMSAudit
import KMSStorage

/// `trent audit …`: check, sign, read and export the audit trail of a data folder. The server
/// may be running: SQLite lets these read (and digest) beside it.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify, query and export the audit trail.",
        subcommands: [Verify.self, Digest.self, PublicKey.self, Query.self, Export.self])

    struct DataOption: ParsableArguments {
        @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
        var data: String?

        func folder() throws -> DataFolder { try DataFolder(existing: DataFolder.resolve(data)) }
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every record's hash chain and every signed digest; name the first problem.")

        @OptionGroup var options: DataOption

        @Option(help: "A PEM public key to check digests with, instead of the one the store holds.")
        var publicKey: String?

        func run() async throws {
            let folder = try options.folder()
            let store = try folder.openRepository()
            guard let key = try await trustedKey(folder: folder, store: store) else {
                AuditCommand.say("trent audit: no signing key in the store: nothing has been recorded yet")
                return
            }
            let result = try await AuditTrailCheck.run(store: store, publicKey: key)
            if result.isIntact {
                AuditCommand.say("trent audit: verified \(result.recordCount) records and \(result.digestCount) digests")
                return
            }
            for (problem, digest) in result.problems {
                let breaks = digest.map { " (breaks digest \($0))" } ?? ""
                AuditCommand.say("trent audit: \(problem)\(breaks)")
            }
            AuditCommand.say(
                "trent audit: FAILED: \(result.problems.count) problem(s) in \(result.recordCount) records and \(result.digestCount) digests")
            throw ExitCode(1)
        }

        /// The key given, else the store's, checked against the published copy beside it.
        func trustedKey(folder: DataFolder, store: SQLiteKeyRepository) async throws -> Curve25519.Signing.PublicKey? {
            if let publicKey {
                guard let key = AuditDigestFormat.publicKey(pem: try String(contentsOfFile: publicKey, encoding: .utf8)) else {
                    throw ValidationError("\(publicKey) is not an Ed25519 public key in PEM")
                }
                return key
            }
            guard let stored = try await store.auditSigningKey() else { return nil }
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: stored.publicKey)
            if let published = try? String(contentsOfFile: folder.auditPublicKeyPath, encoding: .utf8),
                AuditDigestFormat.publicKey(pem: published)?.rawRepresentation != key.rawRepresentation
            {
                AuditCommand.say("trent audit: the store's signing key differs from \(folder.auditPublicKeyPath)")
                throw ExitCode(1)
            }
            return key
        }
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a digest of every record not yet covered.")

        @OptionGroup var options: DataOption

        func run() async throws {
            let folder = try options.folder()
            let store = try folder.openRepository()
            let signer = try await AuditDigestSigner.load(store: store, rootKey: try folder.loadRootKey(), now: Date())
            if let digest = try await signer.digest(store: store, now: Date()) {
                AuditCommand.say("trent audit: digest \(digest.id) covers records \(digest.firstSequence)-\(digest.lastSequence)")
            } else {
                AuditCommand.say("trent audit: no new records to digest")
            }
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key", abstract: "Print the Ed25519 public key that signs digests (PEM).")

        @OptionGroup var options: DataOption

        func run() async throws {
            let store = try options.folder().openRepository()
            guard let stored = try await store.auditSigningKey() else {
                throw ValidationError("no signing key yet: start the server once")
            }
            FileHandle.standardOutput.write(
                Data(AuditDigestFormat.pem(try Curve25519.Signing.PublicKey(rawRepresentation: stored.publicKey)).utf8))
        }
    }

    /// Filters shared by query and export.
    struct Filters: ParsableArguments {
        @Option(help: "Only records at or after this time (ISO 8601, e.g. 2026-01-01T00:00:00Z).")
        var since: String?
        @Option(help: "Only records at or before this time (ISO 8601).")
        var until: String?
        @Option(help: "Only records of this principal ARN.")
        var principal: String?
        @Option(help: "Only records that used this key (key id or key ARN).")
        var key: String?
        @Option(help: "Only records of this operation, e.g. Decrypt.")
        var eventName: String?
        @Option(help: "Only records that failed with this error code, e.g. AccessDeniedException.")
        var errorCode: String?
        @Option(help: "Only records whose encryption context has this key.")
        var contextKey: String?

        func predicate() throws -> (StoredAuditRecord) -> Bool {
            func date(_ text: String?) throws -> Date? {
                guard let text else { return nil }
                guard let date = CloudTrailTime.parse(text) else { throw ValidationError("not an ISO 8601 time: \(text)") }
                return date
            }
            let filter = AuditFilter(
                since: try date(since), until: try date(until), principalArn: principal,
                eventNames: eventName.map { [$0] }, errorCode: errorCode)
            let key = self.key
            let contextKey = self.contextKey
            return { record in
                guard filter.matches(record.entry) else { return false }
                if let key {
                    let arns = [record.entry.keyArn, record.entry.secondaryKeyArn].compactMap { $0 }
                    guard arns.contains(where: { $0 == key || $0.hasSuffix("/" + key) }) else { return false }
                }
                if let contextKey {
                    guard let event = try? CloudTrailEvent.decode(record.entry.record) else { return false }
                    let contexts = ["encryptionContext", "sourceEncryptionContext", "destinationEncryptionContext"]
                        .compactMap { event.requestParameters[member: $0] }
                    guard contexts.contains(where: { $0[member: contextKey] != nil }) else { return false }
                }
                return true
            }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the records that match, oldest first.")

        enum Format: String, ExpressibleByArgument {
            case json, table
        }

        @OptionGroup var options: DataOption
        @OptionGroup var filters: Filters
        @Option(help: "json (one CloudTrail record per line) or table.")
        var format: Format = .json
        @Option(help: "Print at most this many (the newest).")
        var limit: Int?

        func run() async throws {
            let store = try options.folder().openRepository()
            let matches = try filters.predicate()
            var found: [StoredAuditRecord] = []
            try await AuditTrailCheck.forEachRecord(in: store) { page in
                found.append(contentsOf: page.filter(matches))
                if let limit, found.count > limit { found.removeFirst(found.count - limit) }
            }
            switch format {
            case .json:
                var out = Data()
                for record in found {
                    out.append(record.entry.record)
                    out.append(UInt8(ascii: "\n"))
                }
                FileHandle.standardOutput.write(out)
            case .table:
                AuditCommand.say(AuditTable.render(found))
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write CloudTrail log files ({\"Records\": [...]}, gzip) into a folder.")

        @OptionGroup var options: DataOption
        @OptionGroup var filters: Filters
        @Option(help: "Folder to write the .json.gz files into (created if needed).")
        var out: String

        func run() async throws {
            let store = try options.folder().openRepository()
            let matches = try filters.predicate()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var records = 0
            var files = 0
            try await AuditTrailCheck.forEachRecord(in: store) { page in
                let chosen = page.filter(matches).map(\.entry.record)
                for file in try CloudTrailExport.files(for: chosen) {
                    try CloudTrailExport.gzipped(file).write(to: URL(fileURLWithPath: out).appendingPathComponent(file.name))
                    files += 1
                }
                records += chosen.count
            }
            AuditCommand.say("trent audit: exported \(records) records in \(files) files to \(out)")
        }
    }
}

/// The readable form of `trent audit query --format table`.
enum AuditTable {
    static func render(_ records: [StoredAuditRecord]) -> String {
        var rows = [["SEQ", "TIME", "EVENT", "PRINCIPAL", "KEY", "ERROR"]]
        for record in records {
            let e = record.entry
            rows.append([
                String(record.sequence), CloudTrailTime.format(e.eventTime), e.eventName, e.principalArn ?? "-",
                e.keyArn.map { String($0.split(separator: "/").last ?? "") } ?? "-", e.errorCode ?? "-",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
