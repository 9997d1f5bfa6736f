import Foundation
import GRDB
import KMSCrypto
import KMSModel

/// The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so every
/// acknowledged write has reached the disk before the answer leaves (it survives `kill -9`
/// and power loss alike).
public final class SQLiteKeyRepository: KeyRepository {
    let pool: DatabasePool
    /// The database file.
    let path: String
    /// Signals principal changes to other processes (see `SQLiteKeyRepository+Principals`).
    let principalChanges: PrincipalChangeFile

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Space written ahead at the end of the file stays there (see DatabaseFileReserve).
        configuration.prepareDatabase { db in try DatabaseFileReserve.keep(db) }
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets `synchronous = NORMAL` on the pool's writer when it turns WAL on, after
        // `prepareDatabase` has run: under NORMAL a commit is not flushed to disk, so a power
        // loss could take acknowledged requests with it. The writer is put back to FULL here.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        self.path = path
        try Self.migrator.migrate(pool)
        principalChanges = PrincipalChangeFile(path: path + ".principal-changes")
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
        migrator.registerMigration("v2-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_records (
                        seq INTEGER PRIMARY KEY, event_time DOUBLE NOT NULL, event_name TEXT NOT NULL,
                        principal_arn TEXT, key_arn TEXT, secondary_key_arn TEXT, error_code TEXT,
                        record BLOB NOT NULL, previous_hash BLOB NOT NULL, hash BLOB NOT NULL
                    );
                    CREATE INDEX audit_records_by_key ON audit_records (key_arn) WHERE key_arn IS NOT NULL;
                    CREATE INDEX audit_records_by_secondary_key ON audit_records (secondary_key_arn)
                        WHERE secondary_key_arn IS NOT NULL;
                    CREATE TABLE audit_digests (
                        id INTEGER PRIMARY KEY, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                        head_hash BLOB NOT NULL, previous_digest_hash BLOB NOT NULL, created_at DOUBLE NOT NULL,
                        signature BLOB NOT NULL
                    );
                    CREATE TABLE audit_signing_keys (
                        id INTEGER PRIMARY KEY CHECK (id = 1), public_key BLOB NOT NULL,
                        wrapped_private_key BLOB NOT NULL, created_at DOUBLE NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-lifecycle") { db in
            try db.execute(
                sql: """
                    ALTER TABLE keys ADD COLUMN rotation_period_in_days INTEGER;
                    ALTER TABLE keys ADD COLUMN next_rotation_date DOUBLE;
                    ALTER TABLE keys ADD COLUMN on_demand_rotations INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE key_materials ADD COLUMN rotation_type TEXT;
                    CREATE INDEX keys_by_next_rotation ON keys (next_rotation_date) WHERE next_rotation_date IS NOT NULL;
                    CREATE INDEX keys_by_deletion ON keys (deletion_date) WHERE deletion_date IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v4-import") { db in
            try db.execute(
                sql: """
                    ALTER TABLE keys ADD COLUMN valid_to DOUBLE;
                    ALTER TABLE keys ADD COLUMN expiration_model TEXT;
                    ALTER TABLE keys ADD COLUMN imported_material_id TEXT;
                    CREATE INDEX keys_by_valid_to ON keys (valid_to) WHERE valid_to IS NOT NULL;
                    CREATE TABLE import_parameters (
                        token_id TEXT NOT NULL PRIMARY KEY,
                        account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                        wrapping_algorithm TEXT NOT NULL, wrapping_key_spec TEXT NOT NULL,
                        wrapped_private_key BLOB NOT NULL, created_at DOUBLE NOT NULL, valid_to DOUBLE NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX import_parameters_by_key ON import_parameters (account_id, region, key_id);
                    CREATE INDEX import_parameters_by_valid_to ON import_parameters (valid_to);
                    """)
        }
        migrator.registerMigration("v5-multi-region") { db in
            try db.execute(
                sql: """
                    ALTER TABLE keys ADD COLUMN primary_region TEXT;
                    CREATE INDEX keys_by_account_key_id ON keys (account_id, key_id) WHERE primary_region IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v6-key-policies-grants") { db in
            try db.execute(
                sql: """
                    ALTER TABLE keys ADD COLUMN policy TEXT;
                    CREATE TABLE grants (
                        grant_id TEXT NOT NULL PRIMARY KEY,
                        account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                        name TEXT, grantee_principal TEXT NOT NULL, retiring_principal TEXT,
                        issuing_account TEXT NOT NULL, operations TEXT NOT NULL,
                        encryption_context_equals TEXT, encryption_context_subset TEXT,
                        creation_date DOUBLE NOT NULL, token_id TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX grants_by_key ON grants (account_id, region, key_id, grant_id);
                    CREATE INDEX grants_by_retiring_principal ON grants (retiring_principal, region, grant_id)
                        WHERE retiring_principal IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v7-principals", migrate: migratePrincipals)
        migrator.registerMigration("v8-imported-materials", migrate: migrateImportedMaterials)
        return migrator
    }

    /// Every material of an EXTERNAL key gets its own import state: `key_materials` rows stay
    /// when their material is deleted or expires (`wrapped_material` NULL), and hold the
    /// expiry and description of the import that brought them in. A key whose only material
    /// was deleted under v4 (no row, only `keys.imported_material_id`) gets its row back.
    private static func migrateImportedMaterials(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE key_materials_v8 (
                    account_id TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
                    version INTEGER NOT NULL, material_id TEXT NOT NULL,
                    wrapped_material BLOB, created_at DOUBLE NOT NULL, rotation_type TEXT,
                    expiration_model TEXT, valid_to DOUBLE, material_description TEXT,
                    PRIMARY KEY (account_id, region, key_id, version)
                ) WITHOUT ROWID;
                INSERT INTO key_materials_v8 (account_id, region, key_id, version, material_id, wrapped_material,
                    created_at, rotation_type, expiration_model, valid_to)
                SELECT m.account_id, m.region, m.key_id, m.version, m.material_id, m.wrapped_material, m.created_at,
                    m.rotation_type, k.expiration_model, k.valid_to
                FROM key_materials m JOIN keys k USING (account_id, region, key_id);
                INSERT INTO key_materials_v8 (account_id, region, key_id, version, material_id, wrapped_material, created_at)
                SELECT account_id, region, key_id, 1, imported_material_id, NULL, creation_date FROM keys k
                WHERE imported_material_id IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM key_materials m
                    WHERE m.account_id = k.account_id AND m.region = k.region AND m.key_id = k.key_id);
                DROP TABLE key_materials;
                ALTER TABLE key_materials_v8 RENAME TO key_materials;
                CREATE INDEX key_materials_by_valid_to ON key_materials (valid_to)
                    WHERE valid_to IS NOT NULL AND wrapped_material IS NOT NULL;
                DROP INDEX keys_by_valid_to;
                """)
    }

    // MARK: Commit

    public func commit(_ items: [CommitItem]) async throws -> [CommitOutcome] {
        try await pool.writeWithoutTransaction { db in try Self.inBatchTransaction(db) { try Self.commit(items, db) } }
    }

    public var synchronousCommit: (@Sendable ([CommitItem]) throws -> [CommitOutcome])? {
        { [pool] items in try pool.writeWithoutTransaction { db in try Self.inBatchTransaction(db) { try Self.commit(items, db) } } }
    }

    /// What GRDB's `write` does (an immediate transaction, rolled back if anything throws), with
    /// BEGIN and COMMIT prepared once: `write` compiles both again for every transaction, and
    /// group commit runs one per batch.
    private static func inBatchTransaction<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body()
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            // A failed COMMIT, or an I/O error SQLite answered with a rollback of its own: either
            // way nothing of the batch stays.
            try? db.rollback()
            throw error
        }
    }

    private static func commit(_ items: [CommitItem], _ db: Database) throws -> [CommitOutcome] {
        // Statements on the hot path are prepared once per connection and reused.
        var head = try Self.auditHead(db)
        var outcomes: [CommitOutcome] = []
        outcomes.reserveCapacity(items.count)
        for item in items {
            // Most requests change nothing but the trail: their record needs no savepoint,
            // since nothing of theirs can be refused and any failure aborts the whole batch.
            if item.mutations.isEmpty {
                if let entry = item.audit { head = try Self.appendAuditRecord(entry, after: head, db) }
                outcomes.append(.committed(sequence: item.audit == nil ? nil : head?.sequence))
                continue
            }
            // A savepoint per item: a refused mutation rolls back its own item only.
            try db.cachedStatement(sql: "SAVEPOINT item").execute()
            do {
                for mutation in item.mutations { try Self.apply(mutation, db) }
            } catch let error as RepositoryError {
                try db.execute(sql: "ROLLBACK TO SAVEPOINT item; RELEASE SAVEPOINT item")
                outcomes.append(.refused(error))
                continue
            }
            var sequence: Int64?
            if let entry = item.audit {
                head = try Self.appendAuditRecord(entry, after: head, db)
                sequence = head?.sequence
            }
            try db.cachedStatement(sql: "RELEASE SAVEPOINT item").execute()
            outcomes.append(.committed(sequence: sequence))
        }
        return outcomes
    }

    /// The last record of the hash chain, read inside the writing transaction.
    static func auditHead(_ db: Database) throws -> (sequence: Int64, hash: Data)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1"))
            .map { (sequence: $0["seq"] as Int64, hash: $0["hash"] as Data) }
    }

    /// Appends one record to the hash chain after `head`; returns the new head.
    static func appendAuditRecord(
        _ entry: AuditEntry, after head: (sequence: Int64, hash: Data)?, _ db: Database
    ) throws -> (sequence: Int64, hash: Data) {
        let next = (head?.sequence ?? 0) + 1
        let previousHash = head?.hash ?? AuditChainHash.genesis
        let hash = AuditChainHash.link(previous: previousHash, sequence: next, record: entry.record)
        try AuditRowInsert.execute(
            db.cachedStatement(sql: AuditRowInsert.sql), sequence: next, entry: entry, previousHash: previousHash, hash: hash)
        return (next, hash)
    }

    private static func insertKeyRow(_ key: KeyRecord, _ db: Database) throws {
        let r = key.reference
        try db.cachedStatement(
            sql: """
                INSERT INTO keys (account_id, region, key_id, creation_date, description, key_usage, key_spec,
                    key_state, origin, key_manager, deletion_date, pending_window_in_days, multi_region, current_version,
                    primary_region, rotation_period_in_days, next_rotation_date, policy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                r.accountId, r.region, r.keyId, key.creationDate.timeIntervalSince1970, key.description,
                key.keyUsage.rawValue, key.keySpec.rawValue, key.keyState.rawValue, key.origin.rawValue,
                key.keyManager.rawValue, key.deletionDate?.timeIntervalSince1970, key.pendingWindowInDays,
                key.multiRegion, key.currentVersion, key.primaryRegion, key.rotationPeriodInDays,
                key.nextRotationDate?.timeIntervalSince1970, key.policy,
            ])
    }

    private static func apply(_ mutation: Mutation, _ db: Database) throws {
        do {
            switch mutation {
            case .insertKey(let key, let material, let tags):
                try insertKeyRow(key, db)
                if let material { try insertMaterial(material, db) }
                try putTags(key.reference, tags, db)
            case .insertReplica(let key, let materials, let tags):
                if try exists(key.reference, db) { throw RepositoryError.alreadyExists }
                // The claim: the primary is still replicable, at the version the copy was made from.
                let primaryIsAsRead = try Bool.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT EXISTS (SELECT 1 FROM keys WHERE account_id = ? AND region = ? AND key_id = ?
                            AND primary_region = region AND key_state IN (?, ?) AND current_version = ?)
                        """),
                    arguments: [
                        key.reference.accountId, key.primaryRegion, key.reference.keyId, KeyState.enabled.rawValue,
                        KeyState.disabled.rawValue, key.currentVersion,
                    ]) ?? false
                guard primaryIsAsRead else { throw RepositoryError.conflict }
                try insertKeyRow(key, db)
                for material in materials { try insertMaterial(material, db) }
                try putTags(key.reference, tags, db)
            case .setPrimaryRegion(let accountId, let keyId, let primaryRegion):
                let related = try relatedKeys(accountId: accountId, keyId: keyId, db)
                guard let target = related.first(where: { $0.reference.region == primaryRegion }) else {
                    throw RepositoryError.notFound
                }
                guard let former = related.first(where: { $0.reference.region == $0.primaryRegion }),
                    former.keyState == .enabled, target.keyState == .enabled
                else { throw RepositoryError.conflict }
                try db.execute(
                    sql: "UPDATE keys SET primary_region = ? WHERE account_id = ? AND key_id = ? AND primary_region IS NOT NULL",
                    arguments: [primaryRegion, accountId, keyId])
                if former.reference != target.reference {
                    // The rotation schedule belongs to the primary: it moves with it.
                    try db.execute(
                        sql: """
                            UPDATE keys SET rotation_period_in_days = ?, next_rotation_date = ?, on_demand_rotations = ?
                            WHERE account_id = ? AND region = ? AND key_id = ?
                            """,
                        arguments: [
                            former.rotationPeriodInDays, former.nextRotationDate?.timeIntervalSince1970, former.onDemandRotations,
                            accountId, primaryRegion, keyId,
                        ])
                    try db.execute(
                        sql: """
                            UPDATE keys SET rotation_period_in_days = NULL, next_rotation_date = NULL, on_demand_rotations = 0
                            WHERE account_id = ? AND region = ? AND key_id = ?
                            """,
                        arguments: [accountId, former.reference.region, keyId])
                }
            case .updateKey(let key):
                let r = key.reference
                try db.execute(
                    sql: """
                        UPDATE keys SET description = ?, key_usage = ?, key_spec = ?, key_state = ?, origin = ?,
                            key_manager = ?, deletion_date = ?, pending_window_in_days = ?, multi_region = ?
                        WHERE account_id = ? AND region = ? AND key_id = ?
                        """,
                    arguments: [
                        key.description, key.keyUsage.rawValue, key.keySpec.rawValue, key.keyState.rawValue,
                        key.origin.rawValue, key.keyManager.rawValue, key.deletionDate?.timeIntervalSince1970,
                        key.pendingWindowInDays, key.multiRegion, r.accountId, r.region, r.keyId,
                    ])
                if db.changesCount == 0 { throw RepositoryError.notFound }
            case .setRotation(let r, let period, let next):
                try db.execute(
                    sql: """
                        UPDATE keys SET rotation_period_in_days = ?, next_rotation_date = ?
                        WHERE account_id = ? AND region = ? AND key_id = ?
                        """,
                    arguments: [period, next?.timeIntervalSince1970, r.accountId, r.region, r.keyId])
                if db.changesCount == 0 { throw RepositoryError.notFound }
            case .rotateKey(let r, let material, let expected, let next, let onDemand):
                // The claim: only the process that still sees the version (and due date) it read advances it.
                try db.execute(
                    sql: """
                        UPDATE keys SET current_version = ?, next_rotation_date = COALESCE(?, next_rotation_date),
                            on_demand_rotations = on_demand_rotations + ?
                        WHERE account_id = ? AND region = ? AND key_id = ? AND current_version = ?
                            AND (? IS NULL OR next_rotation_date = ?)
                        """,
                    arguments: [
                        material.version, next?.timeIntervalSince1970, onDemand ? 1 : 0, r.accountId, r.region, r.keyId,
                        material.version - 1, expected?.timeIntervalSince1970, expected?.timeIntervalSince1970,
                    ])
                if db.changesCount == 0 {
                    throw try exists(r, db) ? RepositoryError.conflict : RepositoryError.notFound
                }
                do {
                    try insertMaterial(material, db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw RepositoryError.conflict
                }
            case .rotateRelatedKeys(let p, let materials, let expected, let next, let onDemand):
                // The claim, read and checked inside the writing transaction.
                let related = try relatedKeys(accountId: p.accountId, keyId: p.keyId, db)
                guard let primary = related.first(where: { $0.reference == p }) else {
                    throw try exists(p, db) ? RepositoryError.conflict : RepositoryError.notFound
                }
                guard let version = materials.first?.version, primary.primaryRegion == p.region,
                    Set(related.map(\.reference)) == Set(materials.map(\.reference)), materials.count == related.count,
                    materials.allSatisfy({ $0.version == version }), related.allSatisfy({ $0.currentVersion == version - 1 }),
                    expected == nil || primary.nextRotationDate == expected
                else { throw RepositoryError.conflict }
                for material in materials {
                    try db.execute(
                        sql: "UPDATE keys SET current_version = ? WHERE account_id = ? AND region = ? AND key_id = ?",
                        arguments: [version, p.accountId, material.reference.region, p.keyId])
                    do {
                        try insertMaterial(material, db)
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        throw RepositoryError.conflict
                    }
                }
                try db.execute(
                    sql: """
                        UPDATE keys SET next_rotation_date = COALESCE(?, next_rotation_date),
                            on_demand_rotations = on_demand_rotations + ?
                        WHERE account_id = ? AND region = ? AND key_id = ?
                        """,
                    arguments: [next?.timeIntervalSince1970, onDemand ? 1 : 0, p.accountId, p.region, p.keyId])
            case .beginPrimaryDeletionWindow(let accountId, let keyId, let start):
                let related = try relatedKeys(accountId: accountId, keyId: keyId, db)
                guard related.count == 1, let primary = related.first, primary.primaryRegion == primary.reference.region,
                    primary.keyState == .pendingReplicaDeletion, let days = primary.pendingWindowInDays
                else { break }
                try db.execute(
                    sql: "UPDATE keys SET key_state = ?, deletion_date = ? WHERE account_id = ? AND region = ? AND key_id = ?",
                    arguments: [
                        KeyState.pendingDeletion.rawValue, start.addingTimeInterval(TimeInterval(days) * 86400).timeIntervalSince1970,
                        accountId, primary.reference.region, keyId,
                    ])
            case .deleteKey(let r, let deletionDate):
                // A multi-Region primary outlives its replicas.
                let replicasRemain = try Bool.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT EXISTS (SELECT 1 FROM keys p JOIN keys o ON o.account_id = p.account_id AND o.key_id = p.key_id
                            AND o.region <> p.region AND o.primary_region IS NOT NULL
                        WHERE p.account_id = ? AND p.region = ? AND p.key_id = ? AND p.primary_region = p.region)
                        """),
                    arguments: [r.accountId, r.region, r.keyId]) ?? false
                if replicasRemain { throw RepositoryError.conflict }
                try db.execute(
                    sql: """
                        DELETE FROM keys WHERE account_id = ? AND region = ? AND key_id = ?
                            AND key_state = ? AND deletion_date = ?
                        """,
                    arguments: [
                        r.accountId, r.region, r.keyId, KeyState.pendingDeletion.rawValue, deletionDate.timeIntervalSince1970,
                    ])
                if db.changesCount == 0 {
                    throw try exists(r, db) ? RepositoryError.conflict : RepositoryError.notFound
                }
                for table in ["key_materials", "tags", "import_parameters", "grants"] {
                    try db.execute(
                        sql: "DELETE FROM \(table) WHERE account_id = ? AND region = ? AND key_id = ?",
                        arguments: [r.accountId, r.region, r.keyId])
                }
                try db.execute(
                    sql: "DELETE FROM aliases WHERE account_id = ? AND region = ? AND target_key_id = ?",
                    arguments: [r.accountId, r.region, r.keyId])
            case .insertImportParameters(let p):
                let r = p.reference
                guard try exists(r, db) else { throw RepositoryError.notFound }
                try db.execute(
                    sql: """
                        INSERT INTO import_parameters (token_id, account_id, region, key_id, wrapping_algorithm,
                            wrapping_key_spec, wrapped_private_key, created_at, valid_to)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        p.tokenId, r.accountId, r.region, r.keyId, p.wrappingAlgorithm.rawValue, p.wrappingKeySpec.rawValue,
                        p.wrappedPrivateKey, p.createdAt.timeIntervalSince1970, p.validTo.timeIntervalSince1970,
                    ])
            case .deleteImportParameters(let expiredBefore):
                try db.execute(
                    sql: "DELETE FROM import_parameters WHERE valid_to < ?", arguments: [expiredBefore.timeIntervalSince1970])
            case .importKeyMaterial(let r, let material, let model, let validTo, let description):
                guard let key = try keyRow(r, db) else { throw RepositoryError.notFound }
                guard key.keyState != .pendingDeletion else { throw RepositoryError.conflict }
                let rows = try importedMaterialRows(r, db)
                if let existing = rows.first(where: { $0.version == material.version }) {
                    guard existing.materialId == material.materialId else { throw RepositoryError.conflict }
                    try db.execute(
                        sql: """
                            UPDATE key_materials SET wrapped_material = ?, expiration_model = ?, valid_to = ?,
                                material_description = COALESCE(?, material_description)
                            WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?
                            """,
                        arguments: [
                            material.wrappedMaterial, model.rawValue, validTo?.timeIntervalSince1970, description,
                            r.accountId, r.region, r.keyId, material.version,
                        ])
                } else {
                    let isFirst = material.version == 1 && rows.isEmpty
                    let isPendingRotation =
                        material.version == key.currentVersion + 1 && !rows.contains { $0.version > key.currentVersion }
                        && !rows.contains { $0.materialId == material.materialId }
                    guard isFirst || isPendingRotation else { throw RepositoryError.conflict }
                    try insertMaterial(material, db)
                    try db.execute(
                        sql: """
                            UPDATE key_materials SET expiration_model = ?, valid_to = ?, material_description = ?
                            WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?
                            """,
                        arguments: [
                            model.rawValue, validTo?.timeIntervalSince1970, description, r.accountId, r.region, r.keyId,
                            material.version,
                        ])
                }
                // The current version stays: a first material is version 1, which a new key already names.
                try db.execute(
                    sql: """
                        UPDATE keys SET imported_material_id = COALESCE(imported_material_id, ?)
                        WHERE account_id = ? AND region = ? AND key_id = ?
                        """,
                    arguments: [material.materialId, r.accountId, r.region, r.keyId])
                try refreshImportedSummary(r, db)
            case .deleteImportedKeyMaterial(let r, let materialId, let expected):
                guard let key = try keyRow(r, db) else { throw RepositoryError.notFound }
                guard let row = try importedMaterialRows(r, db).first(where: { $0.materialId == materialId }) else {
                    throw RepositoryError.notFound
                }
                if let expected {
                    guard case .imported(_, let validTo) = row.state, validTo == expected else { throw RepositoryError.conflict }
                }
                if row.version > key.currentVersion {
                    try db.execute(
                        sql: "DELETE FROM key_materials WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?",
                        arguments: [r.accountId, r.region, r.keyId, row.version])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE key_materials SET wrapped_material = NULL, expiration_model = NULL, valid_to = NULL
                            WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?
                            """,
                        arguments: [r.accountId, r.region, r.keyId, row.version])
                }
                try refreshImportedSummary(r, db)
            case .rotateToImportedMaterial(let r, let version, let rotatedAt):
                // The claim: only while the current version is still the one before, and the material is there.
                try db.execute(
                    sql: """
                        UPDATE keys SET current_version = ?, on_demand_rotations = on_demand_rotations + 1
                        WHERE account_id = ? AND region = ? AND key_id = ? AND current_version = ?
                            AND EXISTS (SELECT 1 FROM key_materials m WHERE m.account_id = keys.account_id
                                AND m.region = keys.region AND m.key_id = keys.key_id AND m.version = ?
                                AND m.wrapped_material IS NOT NULL)
                        """,
                    arguments: [version, r.accountId, r.region, r.keyId, version - 1, version])
                if db.changesCount == 0 {
                    throw try exists(r, db) ? RepositoryError.conflict : RepositoryError.notFound
                }
                try db.execute(
                    sql: """
                        UPDATE key_materials SET rotation_type = ?, created_at = ?
                        WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?
                        """,
                    arguments: [
                        RotationType.onDemand.rawValue, rotatedAt.timeIntervalSince1970, r.accountId, r.region, r.keyId, version,
                    ])
                try refreshImportedSummary(r, db)
            case .insertAlias(let alias):
                try db.execute(
                    sql: """
                        INSERT INTO aliases (account_id, region, alias_name, target_key_id, creation_date, last_updated_date)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        alias.accountId, alias.region, alias.aliasName, alias.targetKeyId,
                        alias.creationDate.timeIntervalSince1970, alias.lastUpdatedDate.timeIntervalSince1970,
                    ])
            case .updateAlias(let alias):
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
            case .deleteAlias(let accountId, let region, let name):
                try db.execute(
                    sql: "DELETE FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?",
                    arguments: [accountId, region, name])
                if db.changesCount == 0 { throw RepositoryError.notFound }
            case .putTags(let reference, let tags):
                try putTags(reference, tags, db)
            case .removeTags(let reference, let keys):
                for key in keys {
                    try db.execute(
                        sql: "DELETE FROM tags WHERE account_id = ? AND region = ? AND key_id = ? AND tag_key = ?",
                        arguments: [reference.accountId, reference.region, reference.keyId, key])
                }
            case .setKeyPolicy(let r, let policy):
                try db.execute(
                    sql: "UPDATE keys SET policy = ? WHERE account_id = ? AND region = ? AND key_id = ?",
                    arguments: [policy, r.accountId, r.region, r.keyId])
                if db.changesCount == 0 { throw RepositoryError.notFound }
            case .insertGrant(let grant):
                guard try exists(grant.reference, db) else { throw RepositoryError.notFound }
                try insertGrant(grant, db)
            case .deleteGrant(let r, let grantId):
                try db.execute(
                    sql: "DELETE FROM grants WHERE grant_id = ? AND account_id = ? AND region = ? AND key_id = ?",
                    arguments: [grantId, r.accountId, r.region, r.keyId])
                if db.changesCount == 0 { throw RepositoryError.notFound }
            case .insertCredential(let credential):
                try db.execute(
                    sql: """
                        INSERT INTO credentials (access_key_id, account_id, principal_arn, wrapped_secret, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        credential.accessKeyId, credential.accountId, credential.principalArn, credential.wrappedSecret,
                        credential.createdAt.timeIntervalSince1970,
                    ])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw RepositoryError.alreadyExists
        }
    }

    private static func insertMaterial(_ m: KeyMaterialRecord, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO key_materials (account_id, region, key_id, version, material_id, wrapped_material, created_at,
                    rotation_type)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                m.reference.accountId, m.reference.region, m.reference.keyId, m.version, m.materialId,
                m.wrappedMaterial, m.createdAt.timeIntervalSince1970, m.rotationType?.rawValue,
            ])
    }

    /// Every Region's copy of a multi-Region key, read inside the writing transaction.
    private static func relatedKeys(accountId: String, keyId: String, _ db: Database) throws -> [KeyRecord] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM keys WHERE account_id = ? AND key_id = ? AND primary_region IS NOT NULL ORDER BY region"),
            arguments: [accountId, keyId]
        ).map(keyRecord)
    }

    private static func keyRow(_ r: KeyReference, _ db: Database) throws -> KeyRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM keys WHERE account_id = ? AND region = ? AND key_id = ?"),
            arguments: [r.accountId, r.region, r.keyId]
        ).map(keyRecord)
    }

    private static func importedMaterialRows(_ r: KeyReference, _ db: Database) throws -> [ImportedMaterialRecord] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM key_materials WHERE account_id = ? AND region = ? AND key_id = ? ORDER BY version"),
            arguments: [r.accountId, r.region, r.keyId]
        ).map { try importedMaterialRecord($0, r) }
    }

    /// Rewrites an EXTERNAL key's expiry summary and state from its material rows.
    private static func refreshImportedSummary(_ r: KeyReference, _ db: Database) throws {
        guard var key = try keyRow(r, db) else { throw RepositoryError.notFound }
        ImportedMaterialSummary(try importedMaterialRows(r, db), currentVersion: key.currentVersion).apply(to: &key)
        try db.execute(
            sql: """
                UPDATE keys SET expiration_model = ?, valid_to = ?, key_state = ?
                WHERE account_id = ? AND region = ? AND key_id = ?
                """,
            arguments: [
                key.expirationModel?.rawValue, key.validTo?.timeIntervalSince1970, key.keyState.rawValue, r.accountId,
                r.region, r.keyId,
            ])
    }

    private static func exists(_ r: KeyReference, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM keys WHERE account_id = ? AND region = ? AND key_id = ?)"),
            arguments: [r.accountId, r.region, r.keyId]) ?? false
    }

    // MARK: Reads

    public func key(_ reference: KeyReference) async throws -> KeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM keys WHERE account_id = ? AND region = ? AND key_id = ?"),
                arguments: [reference.accountId, reference.region, reference.keyId]
            ).map(Self.keyRecord)
        }
    }

    public func multiRegionKeys(accountId: String, keyId: String) async throws -> [KeyRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM keys WHERE account_id = ? AND key_id = ? AND primary_region IS NOT NULL ORDER BY region"),
                arguments: [accountId, keyId]
            ).map(Self.keyRecord)
        }
    }

    /// Only the ids: reading whole key rows and decoding every column by name cost about 20 µs
    /// per key listed.
    public func listKeyIds(accountId: String, region: String, after: String?, limit: Int) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT key_id FROM keys WHERE account_id = ? AND region = ? AND key_id > ?
                        ORDER BY key_id LIMIT ?
                        """),
                arguments: [accountId, region, after ?? "", limit])
        }
    }

    public func material(_ reference: KeyReference, version: Int) async throws -> KeyMaterialRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM key_materials WHERE account_id = ? AND region = ? AND key_id = ? AND version = ?
                            AND wrapped_material IS NOT NULL
                        """),
                arguments: [reference.accountId, reference.region, reference.keyId, version]
            ).map { try Self.materialRecord($0, reference) }
        }
    }

    public func materials(_ reference: KeyReference, afterVersion: Int, limit: Int) async throws -> [KeyMaterialRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM key_materials WHERE account_id = ? AND region = ? AND key_id = ? AND version > ?
                        AND wrapped_material IS NOT NULL
                    ORDER BY version LIMIT ?
                    """),
                arguments: [reference.accountId, reference.region, reference.keyId, afterVersion, limit]
            ).map { try Self.materialRecord($0, reference) }
        }
    }

    private static func materialRecord(_ row: Row, _ reference: KeyReference) throws -> KeyMaterialRecord {
        KeyMaterialRecord(
            reference: reference, version: row["version"], materialId: row["material_id"],
            wrappedMaterial: row["wrapped_material"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            rotationType: try rotationType(row))
    }

    private static func rotationType(_ row: Row) throws -> RotationType? {
        guard let rotation: String = row["rotation_type"] else { return nil }
        guard let parsed = RotationType(rawValue: rotation) else { throw RepositoryError.corrupt("rotation_type = \(rotation)") }
        return parsed
    }

    public func importedMaterials(_ reference: KeyReference) async throws -> [ImportedMaterialRecord] {
        try await pool.read { db in try Self.importedMaterialRows(reference, db) }
    }

    private static func importedMaterialRecord(_ row: Row, _ reference: KeyReference) throws -> ImportedMaterialRecord {
        var state = ImportedMaterialState.pendingImport
        let wrapped: Data? = row["wrapped_material"]
        if wrapped != nil {
            let model: String? = row["expiration_model"]
            guard let model, let parsed = ExpirationModelType(rawValue: model) else {
                throw RepositoryError.corrupt("imported key material without expiration_model")
            }
            let validTo: Double? = row["valid_to"]
            state = .imported(parsed, validTo: validTo.map(Date.init(timeIntervalSince1970:)))
        }
        return ImportedMaterialRecord(
            reference: reference, version: row["version"], materialId: row["material_id"], state: state,
            description: row["material_description"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            rotationType: try rotationType(row))
    }

    public func scheduledWork(dueBy: Date?, limit: Int) async throws -> [ScheduledWork] {
        let bound = dueBy?.timeIntervalSince1970 ?? .infinity
        return try await pool.read { db in
            /// Keys whose `column` date has come, on its partial index, as one kind of work.
            func due(
                _ kind: ScheduledWork.Kind, _ column: String, _ condition: String, _ arguments: StatementArguments,
                date: (KeyRecord) -> Date?
            ) throws -> [ScheduledWork] {
                try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM keys WHERE \(column) IS NOT NULL AND \(column) <= ? AND \(condition) ORDER BY \(column) LIMIT ?"),
                    arguments: [bound] + arguments + [limit]
                ).compactMap { row in
                    let key = try Self.keyRecord(row)
                    return date(key).map { ScheduledWork(kind: kind, key: key, date: $0) }
                }
            }
            // Imported material whose ValidTo has come, on its partial index, with its key.
            let expiries = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT k.*, m.material_id AS expiring_material_id, m.valid_to AS expiring_valid_to
                    FROM key_materials m JOIN keys k USING (account_id, region, key_id)
                    WHERE m.valid_to IS NOT NULL AND m.valid_to <= ? AND m.wrapped_material IS NOT NULL
                    ORDER BY m.valid_to LIMIT ?
                    """),
                arguments: [bound, limit]
            ).map { row in
                ScheduledWork(
                    kind: .materialExpiry, key: try Self.keyRecord(row),
                    date: Date(timeIntervalSince1970: row["expiring_valid_to"]), materialId: row["expiring_material_id"])
            }
            let work =
                try due(.rotation, "next_rotation_date", "key_state = ?", [KeyState.enabled.rawValue]) { $0.nextRotationDate }
                + due(.deletion, "deletion_date", "key_state = ?", [KeyState.pendingDeletion.rawValue]) { $0.deletionDate }
                + expiries
            return work.sorted { ($0.date, $0.key.reference.arn, $0.materialId ?? "") < ($1.date, $1.key.reference.arn, $1.materialId ?? "") }
                .prefix(limit).map { $0 }
        }
    }

    private static func keyRecord(_ row: Row) throws -> KeyRecord {
        func wire<T: WireEnum>(_ column: String) throws -> T {
            let raw: String = row[column]
            guard let value = T(rawValue: raw) else { throw RepositoryError.corrupt("\(column) = \(raw)") }
            return value
        }
        let deletion: Double? = row["deletion_date"]
        let nextRotation: Double? = row["next_rotation_date"]
        let validTo: Double? = row["valid_to"]
        let model: String? = row["expiration_model"]
        var expirationModel: ExpirationModelType?
        if let model {
            guard let parsed = ExpirationModelType(rawValue: model) else { throw RepositoryError.corrupt("expiration_model = \(model)") }
            expirationModel = parsed
        }
        return KeyRecord(
            reference: KeyReference(accountId: row["account_id"], region: row["region"], keyId: row["key_id"]),
            creationDate: Date(timeIntervalSince1970: row["creation_date"]),
            description: row["description"],
            keyUsage: try wire("key_usage"), keySpec: try wire("key_spec"), keyState: try wire("key_state"),
            origin: try wire("origin"), keyManager: try wire("key_manager"),
            deletionDate: deletion.map(Date.init(timeIntervalSince1970:)),
            pendingWindowInDays: row["pending_window_in_days"],
            multiRegion: row["multi_region"], currentVersion: row["current_version"],
            rotationPeriodInDays: row["rotation_period_in_days"],
            nextRotationDate: nextRotation.map(Date.init(timeIntervalSince1970:)),
            onDemandRotations: row["on_demand_rotations"],
            validTo: validTo.map(Date.init(timeIntervalSince1970:)), expirationModel: expirationModel,
            importedMaterialId: row["imported_material_id"], primaryRegion: row["primary_region"], policy: row["policy"])
    }

    // MARK: Import parameters

    public func importParameters(tokenId: String) async throws -> ImportParametersRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM import_parameters WHERE token_id = ?"), arguments: [tokenId]).map { row in
                let algorithm: String = row["wrapping_algorithm"]
                let spec: String = row["wrapping_key_spec"]
                guard let wrappingAlgorithm = AlgorithmSpec(rawValue: algorithm), let wrappingKeySpec = WrappingKeySpec(rawValue: spec)
                else { throw RepositoryError.corrupt("import_parameters \(algorithm) \(spec)") }
                return ImportParametersRecord(
                    tokenId: row["token_id"],
                    reference: KeyReference(accountId: row["account_id"], region: row["region"], keyId: row["key_id"]),
                    wrappingAlgorithm: wrappingAlgorithm, wrappingKeySpec: wrappingKeySpec,
                    wrappedPrivateKey: row["wrapped_private_key"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    validTo: Date(timeIntervalSince1970: row["valid_to"]))
            }
        }
    }

    // MARK: Aliases

    public func alias(accountId: String, region: String, name: String) async throws -> AliasRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?"),
                arguments: [accountId, region, name]
            ).map(Self.aliasRecord)
        }
    }

    public func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) async throws -> [AliasRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name > ?
                        AND (? IS NULL OR target_key_id = ?) ORDER BY alias_name LIMIT ?
                        """),
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
                db.cachedStatement(sql: "SELECT tag_key, tag_value FROM tags WHERE account_id = ? AND region = ? AND key_id = ? ORDER BY tag_key"),
                arguments: [reference.accountId, reference.region, reference.keyId]
            ).map { Tag(tagKey: $0["tag_key"], tagValue: $0["tag_value"]) }
        }
    }

    private static func putTags(_ reference: KeyReference, _ tags: [Tag], _ db: Database) throws {
        for tag in tags {
            try db.cachedStatement(
                sql: """
                    INSERT INTO tags (account_id, region, key_id, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, region, key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value
                    """
            ).execute(
                arguments: [reference.accountId, reference.region, reference.keyId, tag.tagKey, tag.tagValue])
        }
    }

    // MARK: Grants

    private static func insertGrant(_ g: GrantRecord, _ db: Database) throws {
        let r = g.reference
        try db.cachedStatement(
            sql: """
                INSERT INTO grants (grant_id, account_id, region, key_id, name, grantee_principal, retiring_principal,
                    issuing_account, operations, encryption_context_equals, encryption_context_subset, creation_date, token_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                g.grantId, r.accountId, r.region, r.keyId, g.name, g.granteePrincipal, g.retiringPrincipal, g.issuingAccount,
                g.operations.map(\.rawValue).joined(separator: ","),
                try encryptionContextText(g.constraints?.encryptionContextEquals),
                try encryptionContextText(g.constraints?.encryptionContextSubset),
                g.creationDate.timeIntervalSince1970, g.tokenId,
            ])
    }

    /// A constraint's encryption context as JSON with sorted keys.
    private static func encryptionContextText(_ context: [String: String]?) throws -> String? {
        guard let context else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(context), as: UTF8.self)
    }

    private static func grantRecord(_ row: Row) throws -> GrantRecord {
        let operationsText: String = row["operations"]
        let operations = try operationsText.split(separator: ",").map { raw in
            guard let operation = GrantOperation(rawValue: String(raw)) else { throw RepositoryError.corrupt("operations = \(raw)") }
            return operation
        }
        func context(_ column: String) throws -> [String: String]? {
            guard let text: String = row[column] else { return nil }
            do {
                return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            } catch {
                throw RepositoryError.corrupt("\(column) of grant \(row["grant_id"] as String)")
            }
        }
        let equals = try context("encryption_context_equals")
        let subset = try context("encryption_context_subset")
        return GrantRecord(
            grantId: row["grant_id"],
            reference: KeyReference(accountId: row["account_id"], region: row["region"], keyId: row["key_id"]),
            name: row["name"], granteePrincipal: row["grantee_principal"], retiringPrincipal: row["retiring_principal"],
            issuingAccount: row["issuing_account"], operations: operations,
            constraints: equals == nil && subset == nil
                ? nil : GrantConstraints(encryptionContextSubset: subset, encryptionContextEquals: equals),
            creationDate: Date(timeIntervalSince1970: row["creation_date"]), tokenId: row["token_id"])
    }

    public func grants(of reference: KeyReference, matching filter: GrantFilter, after: String?, limit: Int) async throws -> [GrantRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM grants WHERE account_id = ? AND region = ? AND key_id = ? AND grant_id > ?
                        AND (? IS NULL OR grant_id = ?) AND (? IS NULL OR grantee_principal = ?) AND (? IS NULL OR name = ?)
                    ORDER BY grant_id LIMIT ?
                    """),
                arguments: [
                    reference.accountId, reference.region, reference.keyId, after ?? "", filter.grantId, filter.grantId,
                    filter.granteePrincipal, filter.granteePrincipal, filter.name, filter.name, limit,
                ]
            ).map(Self.grantRecord)
        }
    }

    public func grants(of reference: KeyReference) async throws -> [GrantRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM grants WHERE account_id = ? AND region = ? AND key_id = ? ORDER BY grant_id"),
                arguments: [reference.accountId, reference.region, reference.keyId]
            ).map(Self.grantRecord)
        }
    }

    public func retirableGrants(retiringPrincipal: String, region: String, after: String?, limit: Int) async throws -> [GrantRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM grants WHERE retiring_principal = ? AND region = ? AND grant_id > ?
                    ORDER BY grant_id LIMIT ?
                    """),
                arguments: [retiringPrincipal, region, after ?? "", limit]
            ).map(Self.grantRecord)
        }
    }

    public func grant(id: String) async throws -> GrantRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM grants WHERE grant_id = ?"), arguments: [id]).map(Self.grantRecord)
        }
    }

    // MARK: Credentials

    public func credential(accessKeyId: String) async throws -> CredentialRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM credentials WHERE access_key_id = ?"), arguments: [accessKeyId]).map { row in
                CredentialRecord(
                    accessKeyId: row["access_key_id"], accountId: row["account_id"], principalArn: row["principal_arn"],
                    wrappedSecret: row["wrapped_secret"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }

    /// The account of the first credential ever made: the administrator's, on a Trent data folder.
    public func administratorAccountId() async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT account_id FROM credentials ORDER BY created_at LIMIT 1"))
        }
    }

    public func credentialCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM credentials")) ?? 0 }
    }

    // MARK: Audit

    private static func auditRecord(_ row: Row) -> StoredAuditRecord {
        StoredAuditRecord(
            sequence: row["seq"],
            entry: AuditEntry(
                eventTime: Date(timeIntervalSince1970: row["event_time"]), eventName: row["event_name"],
                principalArn: row["principal_arn"], keyArn: row["key_arn"], secondaryKeyArn: row["secondary_key_arn"],
                errorCode: row["error_code"], record: row["record"]),
            previousHash: row["previous_hash"], hash: row["hash"])
    }

    public func auditRecords(after: Int64, limit: Int) async throws -> [StoredAuditRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [after, limit]
            ).map(Self.auditRecord)
        }
    }

    public func latestAuditRecords(matching filter: AuditFilter, limit: Int) async throws -> [StoredAuditRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let since = filter.since {
            clauses.append("event_time >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        if let until = filter.until {
            clauses.append("event_time <= ?")
            arguments += [until.timeIntervalSince1970]
        }
        if let principal = filter.principalArn {
            clauses.append("principal_arn = ?")
            arguments += [principal]
        }
        if let key = filter.keyArn {
            // Two indexed lookups, merged: either resource may name the key.
            clauses.append("seq IN (SELECT seq FROM audit_records WHERE key_arn = ? UNION SELECT seq FROM audit_records WHERE secondary_key_arn = ?)")
            arguments += [key, key]
        }
        if let names = filter.eventNames, !names.isEmpty {
            clauses.append("event_name IN (\(names.map { _ in "?" }.joined(separator: ", ")))")
            for name in names { arguments += [name] }
        }
        if let code = filter.errorCode {
            clauses.append("error_code = ?")
            arguments += [code]
        }
        if filter.succeededOnly { clauses.append("error_code IS NULL") }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [limit]
        let sql = "SELECT * FROM audit_records \(whereClause) ORDER BY seq DESC LIMIT ?"
        let bound = arguments
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map(Self.auditRecord)
        }
    }

    public func oldestAuditRecord() async throws -> StoredAuditRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM audit_records ORDER BY seq LIMIT 1")).map(Self.auditRecord)
        }
    }

    public func newestAuditRecord() async throws -> StoredAuditRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM audit_records ORDER BY seq DESC LIMIT 1")).map(Self.auditRecord)
        }
    }

    public func auditDigests() async throws -> [AuditDigestRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_digests ORDER BY id")).map { row in
                AuditDigestRecord(
                    id: row["id"], firstSequence: row["first_seq"], lastSequence: row["last_seq"], headHash: row["head_hash"],
                    previousDigestHash: row["previous_digest_hash"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    signature: row["signature"])
            }
        }
    }

    public func insertAuditDigest(_ digest: AuditDigestRecord) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_digests (first_seq, last_seq, head_hash, previous_digest_hash, created_at, signature)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    digest.firstSequence, digest.lastSequence, digest.headHash, digest.previousDigestHash,
                    digest.createdAt.timeIntervalSince1970, digest.signature,
                ])
            return db.lastInsertedRowID
        }
    }

    public func auditSigningKey() async throws -> AuditSigningKeyRecord? {
        try await pool.read { db in try Self.signingKey(db) }
    }

    private static func signingKey(_ db: Database) throws -> AuditSigningKeyRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM audit_signing_keys WHERE id = 1")).map { row in
            AuditSigningKeyRecord(
                publicKey: row["public_key"], wrappedPrivateKey: row["wrapped_private_key"],
                createdAt: Date(timeIntervalSince1970: row["created_at"]))
        }
    }

    public func installAuditSigningKey(_ key: AuditSigningKeyRecord) async throws -> AuditSigningKeyRecord {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_signing_keys (id, public_key, wrapped_private_key, created_at) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """,
                arguments: [key.publicKey, key.wrappedPrivateKey, key.createdAt.timeIntervalSince1970])
            return try Self.signingKey(db) ?? key
        }
    }

    public func trimAudit(through sequence: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM audit_records WHERE seq <= ?", arguments: [sequence])
            try db.execute(sql: "DELETE FROM audit_digests WHERE last_seq < ?", arguments: [sequence])
        }
    }
}
