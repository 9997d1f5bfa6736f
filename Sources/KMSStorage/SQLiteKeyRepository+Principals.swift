import Foundation
import GRDB
import KMSModel

/// Accounts, IAM users, roles, inline policies and access keys in the embedded store.
extension SQLiteKeyRepository {
    /// Tables of the principals. Accounts that already have credentials (the first-start
    /// administrator's) are carried over. User and role names are unique per account regardless
    /// of case (`COLLATE NOCASE`), as IAM's are; their ids are unique everywhere.
    static func migratePrincipals(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE accounts (
                    account_id TEXT NOT NULL PRIMARY KEY, created_at DOUBLE NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO accounts (account_id, created_at)
                    SELECT account_id, MIN(created_at) FROM credentials GROUP BY account_id;
                CREATE TABLE iam_users (
                    account_id TEXT NOT NULL, user_name TEXT NOT NULL COLLATE NOCASE, user_id TEXT NOT NULL UNIQUE,
                    tags TEXT NOT NULL, created_at DOUBLE NOT NULL,
                    PRIMARY KEY (account_id, user_name)
                ) WITHOUT ROWID;
                CREATE TABLE iam_roles (
                    account_id TEXT NOT NULL, role_name TEXT NOT NULL COLLATE NOCASE, role_id TEXT NOT NULL UNIQUE,
                    trust_policy TEXT NOT NULL, max_session_duration INTEGER NOT NULL, tags TEXT NOT NULL,
                    created_at DOUBLE NOT NULL,
                    PRIMARY KEY (account_id, role_name)
                ) WITHOUT ROWID;
                CREATE TABLE iam_policies (
                    owner_arn TEXT NOT NULL, policy_name TEXT NOT NULL, document TEXT NOT NULL,
                    PRIMARY KEY (owner_arn, policy_name)
                ) WITHOUT ROWID;
                CREATE INDEX credentials_by_principal ON credentials (account_id, principal_arn);
                """)
    }

    // MARK: Writes

    public func applyPrincipalChange(_ change: PrincipalChange, audit: AuditEntry?) async throws {
        try await pool.write { db in
            do {
                try Self.apply(change, db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw RepositoryError.alreadyExists
            }
            if let audit { _ = try Self.appendAuditRecord(audit, after: try Self.auditHead(db), db) }
        }
        try principalChanges.signal()
    }

    public func principalChangeStamp() -> PrincipalChangeStamp { principalChanges.stamp() }

    private static func apply(_ change: PrincipalChange, _ db: Database) throws {
        switch change {
        case .createAccount(let account, let rootKey):
            try db.execute(
                sql: "INSERT INTO accounts (account_id, created_at) VALUES (?, ?)",
                arguments: [account.accountId, account.createdAt.timeIntervalSince1970])
            try insertCredential(rootKey, db)
        case .createUser(let user):
            guard try accountExists(user.accountId, db) else { throw RepositoryError.notFound }
            try db.execute(
                sql: "INSERT INTO iam_users (account_id, user_name, user_id, tags, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [user.accountId, user.userName, user.userId, try tagsText(user.tags), user.createdAt.timeIntervalSince1970])
        case .deleteUser(let accountId, let userName):
            guard let user = try fetchUser(accountId, userName, db) else { throw RepositoryError.notFound }
            try db.execute(
                sql: "DELETE FROM iam_users WHERE account_id = ? AND user_name = ?", arguments: [accountId, userName])
            try db.execute(
                sql: "DELETE FROM credentials WHERE account_id = ? AND principal_arn = ?", arguments: [accountId, user.arn])
            try db.execute(sql: "DELETE FROM iam_policies WHERE owner_arn = ?", arguments: [user.arn])
        case .createRole(let role):
            guard try accountExists(role.accountId, db) else { throw RepositoryError.notFound }
            try db.execute(
                sql: """
                    INSERT INTO iam_roles (account_id, role_name, role_id, trust_policy, max_session_duration, tags, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    role.accountId, role.roleName, role.roleId, role.trustPolicy, role.maxSessionDuration,
                    try tagsText(role.tags), role.createdAt.timeIntervalSince1970,
                ])
        case .deleteRole(let accountId, let roleName):
            guard let role = try fetchRole(accountId, roleName, db) else { throw RepositoryError.notFound }
            try db.execute(
                sql: "DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?", arguments: [accountId, roleName])
            try db.execute(sql: "DELETE FROM iam_policies WHERE owner_arn = ?", arguments: [role.arn])
        case .putPolicy(let policy):
            guard try ownerExists(policy.ownerArn, db) else { throw RepositoryError.notFound }
            try db.execute(
                sql: """
                    INSERT INTO iam_policies (owner_arn, policy_name, document) VALUES (?, ?, ?)
                    ON CONFLICT (owner_arn, policy_name) DO UPDATE SET document = excluded.document
                    """,
                arguments: [policy.ownerArn, policy.policyName, policy.document])
        case .deletePolicy(let ownerArn, let policyName):
            try db.execute(
                sql: "DELETE FROM iam_policies WHERE owner_arn = ? AND policy_name = ?", arguments: [ownerArn, policyName])
            if db.changesCount == 0 { throw RepositoryError.notFound }
        case .createAccessKey(let credential):
            guard try principalExists(credential.accountId, credential.principalArn, db) else { throw RepositoryError.notFound }
            try insertCredential(credential, db)
        case .deleteAccessKey(let accessKeyId):
            try db.execute(sql: "DELETE FROM credentials WHERE access_key_id = ?", arguments: [accessKeyId])
            if db.changesCount == 0 { throw RepositoryError.notFound }
        }
    }

    private static func insertCredential(_ credential: CredentialRecord, _ db: Database) throws {
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

    private static func accountExists(_ accountId: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM accounts WHERE account_id = ?)"), arguments: [accountId]) ?? false
    }

    /// An account root, or an existing user, of `accountId`.
    private static func principalExists(_ accountId: String, _ arn: String, _ db: Database) throws -> Bool {
        guard let owner = PrincipalArn(arn), owner.accountId == accountId else { return false }
        switch owner.kind {
        case .root: return try accountExists(accountId, db)
        case .user: return try fetchUser(accountId, owner.name, db)?.arn == arn
        case .role: return false
        }
    }

    /// An existing user or role, named exactly as created (policies hang off the canonical ARN).
    private static func ownerExists(_ arn: String, _ db: Database) throws -> Bool {
        guard let owner = PrincipalArn(arn) else { return false }
        switch owner.kind {
        case .root: return false
        case .user: return try fetchUser(owner.accountId, owner.name, db)?.arn == arn
        case .role: return try fetchRole(owner.accountId, owner.name, db)?.arn == arn
        }
    }

    private static func tagsText(_ tags: [Tag]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags.sorted { $0.tagKey < $1.tagKey }), as: UTF8.self)
    }

    private static func tags(_ text: String) throws -> [Tag] {
        do {
            return try JSONDecoder().decode([Tag].self, from: Data(text.utf8))
        } catch {
            throw RepositoryError.corrupt("tags = \(text)")
        }
    }

    // MARK: Reads

    public func accounts() async throws -> [AccountRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM accounts ORDER BY account_id")).map(Self.accountRecord)
        }
    }

    public func account(_ accountId: String) async throws -> AccountRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM accounts WHERE account_id = ?"), arguments: [accountId]).map(Self.accountRecord)
        }
    }

    private static func accountRecord(_ row: Row) -> AccountRecord {
        AccountRecord(accountId: row["account_id"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func user(accountId: String, userName: String) async throws -> UserRecord? {
        try await pool.read { db in try Self.fetchUser(accountId, userName, db) }
    }

    public func users(accountId: String) async throws -> [UserRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM iam_users WHERE account_id = ? ORDER BY user_name"), arguments: [accountId])
                .map(Self.userRecord)
        }
    }

    private static func fetchUser(_ accountId: String, _ userName: String, _ db: Database) throws -> UserRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM iam_users WHERE account_id = ? AND user_name = ?"),
            arguments: [accountId, userName]
        ).map(userRecord)
    }

    private static func userRecord(_ row: Row) throws -> UserRecord {
        UserRecord(
            accountId: row["account_id"], userName: row["user_name"], userId: row["user_id"], tags: try tags(row["tags"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func role(accountId: String, roleName: String) async throws -> RoleRecord? {
        try await pool.read { db in try Self.fetchRole(accountId, roleName, db) }
    }

    public func roles(accountId: String) async throws -> [RoleRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM iam_roles WHERE account_id = ? ORDER BY role_name"), arguments: [accountId])
                .map(Self.roleRecord)
        }
    }

    private static func fetchRole(_ accountId: String, _ roleName: String, _ db: Database) throws -> RoleRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM iam_roles WHERE account_id = ? AND role_name = ?"),
            arguments: [accountId, roleName]
        ).map(roleRecord)
    }

    private static func roleRecord(_ row: Row) throws -> RoleRecord {
        RoleRecord(
            accountId: row["account_id"], roleName: row["role_name"], roleId: row["role_id"], trustPolicy: row["trust_policy"],
            maxSessionDuration: row["max_session_duration"], tags: try tags(row["tags"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func identityPolicies(ownerArn: String) async throws -> [IdentityPolicyRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM iam_policies WHERE owner_arn = ? ORDER BY policy_name"),
                arguments: [ownerArn]
            ).map { IdentityPolicyRecord(ownerArn: $0["owner_arn"], policyName: $0["policy_name"], document: $0["document"]) }
        }
    }

    public func accessKeys(accountId: String, principalArn: String?) async throws -> [CredentialRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM credentials WHERE account_id = ? AND (? IS NULL OR principal_arn = ?)
                    ORDER BY principal_arn, access_key_id
                    """),
                arguments: [accountId, principalArn, principalArn]
            ).map(Self.credentialRecord)
        }
    }

    static func credentialRecord(_ row: Row) -> CredentialRecord {
        CredentialRecord(
            accessKeyId: row["access_key_id"], accountId: row["account_id"], principalArn: row["principal_arn"],
            wrappedSecret: row["wrapped_secret"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
