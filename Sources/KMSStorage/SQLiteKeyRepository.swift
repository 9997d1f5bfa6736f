import Foundation
import GRDB
import KMSModel

/// The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so every
/// acknowledged write has reached the disk before the answer leaves (it survives `kill -9`
/// and power loss alike).
public final class SQLiteKeyRepository: KeyRepository {
    private let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE keys (
                        account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                        creation_date DOUBLE NOT NULL, description TEXT NOT NULL,
                        key_usage TEXT NOT NULL, key_spec TEXT NOT NULL, key_state TEXT NOT NULL,
                        origin TEXT NOT NULL, key_manager TEXT NOT NULL,
                        deletion_date DOUBLE, pending_window_in_days INTEGER,
                        multi_region INTEGER NOT NULL, current_version INTEGER NOT NULL,
                        PRIMARY KEY (account_id, region, key_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE key_materials (
                        account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                        version INTEGER NOT NULL, material_id TEXT NOT NULL,
                        wrapped_material BLOB NOT NULL, created_at DOUBLE NOT NULL,
                        PRIMARY KEY (account_id, region, key_id, version)
                    ) WITHOUT ROWID;
                    CREATE TABLE aliases (
                        account_id TEXT NOT NULL, region TEXT NOT NULL, alias_name TEXT NOT NULL,
                        target_key_id TEXT NOT NULL, creation_date DOUBLE NOT NULL, last_updated_date DOUBLE NOT NULL,
                        PRIMARY KEY (account_id, region, alias_name)
                    ) WITHOUT ROWID;
                    CREATE INDEX aliases_by_target ON aliases (account_id, region, target_key_id);
                    CREATE TABLE tags (
                        account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                        tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,
                        PRIMARY KEY (account_id, region, key_id, tag_key)
                    ) WITHOUT ROWID;
                    CREATE TABLE credentials (
                        access_key_id TEXT NOT NULL PRIMARY KEY, account_id TEXT NOT NULL,
                        principal_arn TEXT NOT NULL, wrapped_secret BLOB NOT NULL, created_at DOUBLE NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    // MARK: Keys

    public func insertKey(_ key: KeyRecord, material: KeyMaterialRecord, tags: [Tag]) async throws {
        try await pool.write { db in
            let r = key.reference
            do {
                try db.execute(
                    sql: """
                        INSERT INTO keys (account_id, region, key_id, creation_date, description, key_usage, key_spec,
                            key_state, origin, key_manager, deletion_date, pending_window_in_days, multi_region, current_version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.accountId, r.region, r.keyId, key.creationDate.timeIntervalSince1970, key.description,
                        key.keyUsage.rawValue, key.keySpec.rawValue, key.keyState.rawValue, key.origin.rawValue,
                        key.keyManager.rawValue, key.deletionDate?.timeIntervalSince1970, key.pendingWindowInDays,
                        key.multiRegion, key.currentVersion,
                    ])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw RepositoryError.alreadyExists
            }
            try Self.insertMaterial(material, db)
            try Self.putTags(r, tags, db)
        }
    }

    private static func insertMaterial(_ m: KeyMaterialRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO key_materials (account_id, region, key_id, version, material_id, wrapped_material, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                m.reference.accountId, m.reference.region, m.reference.keyId, m.version, m.materialId,
                m.wrappedMaterial, m.createdAt.timeIntervalSince1970,
            ])
    }

    public func key(_ reference: KeyReference) async throws -> KeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM keys WHERE account_id = ? AND region = ? AND key_id = ?",
                arguments: [reference.accountId, reference.region, reference.keyId]
            ).map(Self.keyRecord)
        }
    }

    public func updateKey(_ key: KeyRecord) async throws {
        try await pool.write { db in
            let r = key.reference
            try db.execute(
                sql: """
                    UPDATE keys SET description = ?, key_usage = ?, key_spec = ?, key_state = ?, origin = ?,
                        key_manager = ?, deletion_date = ?, pending_window_in_days = ?, multi_region = ?, current_version = ?
                    WHERE account_id = ? AND region = ? AND key_id = ?
                    """,
                arguments: [
                    key.description, key.keyUsage.rawValue, key.keySpec.rawValue, key.keyState.rawValue,
                    key.origin.rawValue, key.keyManager.rawValue, key.deletionDate?.timeIntervalSince1970,
                    key.pendingWindowInDays, key.multiRegion, key.currentVersion, r.accountId, r.region, r.keyId,
                ])
            if db.changesCount == 0 { throw RepositoryError.notFound }
        }
    }

    public func listKeys(accountId: String, region: String, after: String?, limit: Int) async throws -> [KeyRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM keys WHERE account_id = ? AND region = ? AND key_id > ?
                    ORDER BY key_id LIMIT ?
                    """,
                arguments: [accountId, region, after ?? "", limit]
            ).map(Self.keyRecord)
        }
    }

    public func material(_ reference: KeyReference, version: Int) async throws -> KeyMaterialRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM key_materials WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?",
                arguments: [reference.accountId, reference.region, reference.keyId, version]
            ).map { row in
                KeyMaterialRecord(
                    reference: reference, version: row["version"], materialId: row["material_id"],
                    wrappedMaterial: row["wrapped_material"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    private static func keyRecord(_ row: Row) throws -> KeyRecord {
        func wire<T: WireEnum>(_ column: String) throws -> T {
            let raw: String = row[column]
            guard let value = T(rawValue: raw) else { throw RepositoryError.corrupt("\(column) = \(raw)") }
            return value
        }
        let deletion: Double? = row["deletion_date"]
        return KeyRecord(
            reference: KeyReference(accountId: row["account_id"], region: row["region"], keyId: row["key_id"]),
            creationDate: Date(timeIntervalSince1970: row["creation_date"]),
            description: row["description"],
            keyUsage: try wire("key_usage"), keySpec: try wire("key_spec"), keyState: try wire("key_state"),
            origin: try wire("origin"), keyManager: try wire("key_manager"),
            deletionDate: deletion.map(Date.init(timeIntervalSince1970:)),
            pendingWindowInDays: row["pending_window_in_days"],
            multiRegion: row["multi_region"], currentVersion: row["current_version"])
    }

    // MARK: Aliases

    public func insertAlias(_ alias: AliasRecord) async throws {
        try await pool.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO aliases (account_id, region, alias_name, target_key_id, creation_date, last_updated_date)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        alias.accountId, alias.region, alias.aliasName, alias.targetKeyId,
                        alias.creationDate.timeIntervalSince1970, alias.lastUpdatedDate.timeIntervalSince1970,
                    ])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw RepositoryError.alreadyExists
            }
        }
    }

    public func alias(accountId: String, region: String, name: String) async throws -> AliasRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
                arguments: [accountId, region, name]
            ).map(Self.aliasRecord)
        }
    }

    public func updateAlias(_ alias: AliasRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE aliases SET target_key_id = ?, last_updated_date = ?
                    WHERE account_id = ? AND region = ? AND alias_name = ?
                    """,
                arguments: [
                    alias.targetKeyId, alias.lastUpdatedDate.timeIntervalSince1970, alias.accountId, alias.region,
                    alias.aliasName,
                ])
            if db.changesCount == 0 { throw RepositoryError.notFound }
        }
    }

    public func deleteAlias(accountId: String, region: String, name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
                arguments: [accountId, region, name])
            return db.changesCount > 0
        }
    }

    public func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) async throws -> [AliasRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name > ?
                    AND (? IS NULL OR target_key_id = ?) ORDER BY alias_name LIMIT ?
                    """,
                arguments: [accountId, region, after ?? "", targetKeyId, targetKeyId, limit]
            ).map(Self.aliasRecord)
        }
    }

    private static func aliasRecord(_ row: Row) -> AliasRecord {
        AliasRecord(
            accountId: row["account_id"], region: row["region"], aliasName: row["alias_name"],
            targetKeyId: row["target_key_id"], creationDate: Date(timeIntervalSince1970: row["creation_date"]),
            lastUpdatedDate: Date(timeIntervalSince1970: row["last_updated_date"]))
    }

    // MARK: Tags

    public func tags(_ reference: KeyReference) async throws -> [Tag] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT tag_key, tag_value FROM tags WHERE account_id = ? AND region = ? AND key_id = ? ORDER BY tag_key",
                arguments: [reference.accountId, reference.region, reference.keyId]
            ).map { Tag(tagKey: $0["tag_key"], tagValue: $0["tag_value"]) }
        }
    }

    public func putTags(_ reference: KeyReference, _ tags: [Tag]) async throws {
        try await pool.write { db in try Self.putTags(reference, tags, db) }
    }

    private static func putTags(_ reference: KeyReference, _ tags: [Tag], _ db: Database) throws {
        for tag in tags {
            try db.execute(
                sql: """
                    INSERT INTO tags (account_id, region, key_id, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, region, key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value
                    """,
                arguments: [reference.accountId, reference.region, reference.keyId, tag.tagKey, tag.tagValue])
        }
    }

    public func removeTags(_ reference: KeyReference, keys: [String]) async throws {
        try await pool.write { db in
            for key in keys {
                try db.execute(
                    sql: "DELETE FROM tags WHERE account_id = ? AND region = ? AND key_id = ? AND tag_key = ?",
                    arguments: [reference.accountId, reference.region, reference.keyId, key])
            }
        }
    }

    // MARK: Credentials

    public func insertCredential(_ credential: CredentialRecord) async throws {
        try await pool.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO credentials (access_key_id, account_id, principal_arn, wrapped_secret, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        credential.accessKeyId, credential.accountId, credential.principalArn, credential.wrappedSecret,
                        credential.createdAt.timeIntervalSince1970,
                    ])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw RepositoryError.alreadyExists
            }
        }
    }

    public func credential(accessKeyId: String) async throws -> CredentialRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM credentials WHERE access_key_id = ?", arguments: [accessKeyId]).map { row in
                CredentialRecord(
                    accessKeyId: row["access_key_id"], accountId: row["account_id"], principalArn: row["principal_arn"],
                    wrappedSecret: row["wrapped_secret"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    public func credentialCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials") ?? 0 }
    }
}
