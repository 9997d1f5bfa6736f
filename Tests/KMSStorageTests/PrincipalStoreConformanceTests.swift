import Foundation
import KMSModel
import Testing

@testable import KMSStorage

/// The principal store's semantics, against every repository implementation.
struct PrincipalStoreConformanceTests {
    typealias Implementation = RepositoryConformanceTests.Implementation

    static let date = Date(timeIntervalSince1970: 1_767_225_600)
    static let account = "111122223333"

    func credential(_ id: String, _ arn: String, account: String = Self.account) -> CredentialRecord {
        CredentialRecord(accessKeyId: id, accountId: account, principalArn: arn, wrappedSecret: Data([1, 2, 3]), createdAt: Self.date)
    }

    func user(_ name: String, id: String = "AIDA" + String(repeating: "A", count: 17), tags: [KMSModel.Tag] = []) -> UserRecord {
        UserRecord(accountId: Self.account, userName: name, userId: id, tags: tags, createdAt: Self.date)
    }

    func role(_ name: String, id: String = "AROA" + String(repeating: "A", count: 17)) -> RoleRecord {
        RoleRecord(
            accountId: Self.account, roleName: name, roleId: id, trustPolicy: #"{"Statement": []}"#, maxSessionDuration: 7200,
            tags: [KMSModel.Tag(tagKey: "team", tagValue: "blue")], createdAt: Self.date)
    }

    /// A store with the account and its root key.
    func store(_ implementation: Implementation) async throws -> any KeyRepository {
        let store = try implementation.make()
        try await store.applyPrincipalChange(
            .createAccount(
                AccountRecord(accountId: Self.account, createdAt: Self.date),
                rootKey: credential("AKIAROOT", "arn:aws:iam::\(Self.account):root")),
            audit: nil)
        return store
    }

    @Test(arguments: Implementation.allCases)
    func accountsAreCreatedOnceWithTheirRootKey(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        #expect(try await store.accounts() == [AccountRecord(accountId: Self.account, createdAt: Self.date)])
        #expect(try await store.account(Self.account) != nil)
        #expect(try await store.account("444455556666") == nil)
        #expect(try await store.credential(accessKeyId: "AKIAROOT")?.principalArn == "arn:aws:iam::\(Self.account):root")
        await #expect(throws: RepositoryError.alreadyExists) {
            try await store.applyPrincipalChange(
                .createAccount(
                    AccountRecord(accountId: Self.account, createdAt: Self.date),
                    rootKey: credential("AKIAOTHER", "arn:aws:iam::\(Self.account):root")),
                audit: nil)
        }
        #expect(try await store.credential(accessKeyId: "AKIAOTHER") == nil, "a refused change leaves nothing behind")
    }

    @Test(arguments: Implementation.allCases)
    func usersAreUniqueRegardlessOfCaseAndNeedTheirAccount(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        let alice = user("Alice", tags: [KMSModel.Tag(tagKey: "a", tagValue: "1"), KMSModel.Tag(tagKey: "b", tagValue: "")])
        try await store.applyPrincipalChange(.createUser(alice), audit: nil)
        #expect(try await store.user(accountId: Self.account, userName: "Alice") == alice)
        #expect(try await store.user(accountId: Self.account, userName: "alice") == alice, "names ignore case")
        await #expect(throws: RepositoryError.alreadyExists) {
            try await store.applyPrincipalChange(.createUser(user("ALICE", id: "AIDA" + String(repeating: "B", count: 17))), audit: nil)
        }
        await #expect(throws: RepositoryError.alreadyExists, "user ids are unique") {
            try await store.applyPrincipalChange(.createUser(user("bob")), audit: nil)
        }
        var elsewhere = user("carol", id: "AIDA" + String(repeating: "C", count: 17))
        elsewhere.accountId = "444455556666"
        await #expect(throws: RepositoryError.notFound, "the account must exist") {
            try await store.applyPrincipalChange(.createUser(elsewhere), audit: nil)
        }
        try await store.applyPrincipalChange(.createUser(user("bob", id: "AIDA" + String(repeating: "D", count: 17))), audit: nil)
        #expect(try await store.users(accountId: Self.account).map(\.userName) == ["Alice", "bob"])
        #expect(try await store.users(accountId: "444455556666").isEmpty)
    }

    @Test(arguments: Implementation.allCases)
    func deletingAUserDeletesItsKeysAndPolicies(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        let alice = user("alice")
        try await store.applyPrincipalChange(.createUser(alice), audit: nil)
        try await store.applyPrincipalChange(.createAccessKey(credential("AKIAALICE1", alice.arn)), audit: nil)
        try await store.applyPrincipalChange(.createAccessKey(credential("AKIAALICE2", alice.arn)), audit: nil)
        try await store.applyPrincipalChange(
            .putPolicy(IdentityPolicyRecord(ownerArn: alice.arn, policyName: "p", document: "{}")), audit: nil)
        #expect(try await store.accessKeys(accountId: Self.account, principalArn: alice.arn).map(\.accessKeyId) == ["AKIAALICE1", "AKIAALICE2"])
        #expect(try await store.accessKeys(accountId: Self.account, principalArn: nil).count == 3)

        try await store.applyPrincipalChange(.deleteUser(accountId: Self.account, userName: "ALICE"), audit: nil)
        #expect(try await store.user(accountId: Self.account, userName: "alice") == nil)
        #expect(try await store.credential(accessKeyId: "AKIAALICE1") == nil)
        #expect(try await store.accessKeys(accountId: Self.account, principalArn: nil).map(\.accessKeyId) == ["AKIAROOT"])
        #expect(try await store.identityPolicies(ownerArn: alice.arn).isEmpty)
        await #expect(throws: RepositoryError.notFound) {
            try await store.applyPrincipalChange(.deleteUser(accountId: Self.account, userName: "alice"), audit: nil)
        }

        // Made again, the user starts with nothing.
        try await store.applyPrincipalChange(.createUser(user("alice", id: "AIDA" + String(repeating: "E", count: 17))), audit: nil)
        #expect(try await store.identityPolicies(ownerArn: alice.arn).isEmpty)
    }

    @Test(arguments: Implementation.allCases)
    func rolesRoundTripAndTakeTheirPoliciesWithThem(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        let reader = role("reader")
        try await store.applyPrincipalChange(.createRole(reader), audit: nil)
        #expect(try await store.role(accountId: Self.account, roleName: "Reader") == reader)
        #expect(try await store.roles(accountId: Self.account) == [reader])
        await #expect(throws: RepositoryError.alreadyExists) {
            try await store.applyPrincipalChange(.createRole(role("READER", id: "AROA" + String(repeating: "B", count: 17))), audit: nil)
        }
        try await store.applyPrincipalChange(
            .putPolicy(IdentityPolicyRecord(ownerArn: reader.arn, policyName: "p", document: "{}")), audit: nil)
        try await store.applyPrincipalChange(.deleteRole(accountId: Self.account, roleName: "reader"), audit: nil)
        #expect(try await store.role(accountId: Self.account, roleName: "reader") == nil)
        #expect(try await store.identityPolicies(ownerArn: reader.arn).isEmpty)
        await #expect(throws: RepositoryError.notFound) {
            try await store.applyPrincipalChange(.deleteRole(accountId: Self.account, roleName: "reader"), audit: nil)
        }
    }

    @Test(arguments: Implementation.allCases)
    func putPolicyReplacesByNameAndNeedsAnOwner(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        let alice = user("alice")
        try await store.applyPrincipalChange(.createUser(alice), audit: nil)
        try await store.applyPrincipalChange(
            .putPolicy(IdentityPolicyRecord(ownerArn: alice.arn, policyName: "b", document: #"{"v": 1}"#)), audit: nil)
        try await store.applyPrincipalChange(
            .putPolicy(IdentityPolicyRecord(ownerArn: alice.arn, policyName: "a", document: #"{"v": 2}"#)), audit: nil)
        try await store.applyPrincipalChange(
            .putPolicy(IdentityPolicyRecord(ownerArn: alice.arn, policyName: "b", document: #"{"v": 3}"#)), audit: nil)
        #expect(try await store.identityPolicies(ownerArn: alice.arn) == [
            IdentityPolicyRecord(ownerArn: alice.arn, policyName: "a", document: #"{"v": 2}"#),
            IdentityPolicyRecord(ownerArn: alice.arn, policyName: "b", document: #"{"v": 3}"#),
        ])
        for owner in ["arn:aws:iam::\(Self.account):user/nobody", "arn:aws:iam::\(Self.account):role/nothing",
                      "arn:aws:iam::\(Self.account):root", "arn:aws:iam::\(Self.account):user/ALICE"] {
            await #expect(throws: RepositoryError.notFound, "\(owner)") {
                try await store.applyPrincipalChange(
                    .putPolicy(IdentityPolicyRecord(ownerArn: owner, policyName: "p", document: "{}")), audit: nil)
            }
        }
        try await store.applyPrincipalChange(.deletePolicy(ownerArn: alice.arn, policyName: "a"), audit: nil)
        #expect(try await store.identityPolicies(ownerArn: alice.arn).map(\.policyName) == ["b"])
        await #expect(throws: RepositoryError.notFound) {
            try await store.applyPrincipalChange(.deletePolicy(ownerArn: alice.arn, policyName: "a"), audit: nil)
        }
    }

    @Test(arguments: Implementation.allCases)
    func accessKeysBelongToARootOrAnExistingUser(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        try await store.applyPrincipalChange(.createRole(role("reader")), audit: nil)
        try await store.applyPrincipalChange(.createAccessKey(credential("AKIAROOT2", "arn:aws:iam::\(Self.account):root")), audit: nil)
        for arn in ["arn:aws:iam::\(Self.account):user/nobody", "arn:aws:iam::\(Self.account):role/reader",
                    "arn:aws:iam::444455556666:root", "not an arn"] {
            await #expect(throws: RepositoryError.notFound, "\(arn)") {
                try await store.applyPrincipalChange(.createAccessKey(credential("AKIANEW", arn)), audit: nil)
            }
        }
        await #expect(throws: RepositoryError.alreadyExists) {
            try await store.applyPrincipalChange(.createAccessKey(credential("AKIAROOT", "arn:aws:iam::\(Self.account):root")), audit: nil)
        }
        try await store.applyPrincipalChange(.deleteAccessKey(accessKeyId: "AKIAROOT"), audit: nil)
        #expect(try await store.credential(accessKeyId: "AKIAROOT") == nil)
        await #expect(throws: RepositoryError.notFound) {
            try await store.applyPrincipalChange(.deleteAccessKey(accessKeyId: "AKIAROOT"), audit: nil)
        }
    }

    @Test(arguments: Implementation.allCases)
    func everyChangeMovesTheStampAndCommitsItsAuditRecord(_ implementation: Implementation) async throws {
        let store = try await store(implementation)
        let before = store.principalChangeStamp()
        #expect(store.principalChangeStamp() == before, "reading the stamp changes nothing")
        let entry = AuditEntry(
            eventTime: Self.date, eventName: "CreateUser", principalArn: nil, keyArn: nil, secondaryKeyArn: nil, errorCode: nil,
            record: Data(#"{"eventName":"CreateUser"}"#.utf8))
        try await store.applyPrincipalChange(.createUser(user("alice")), audit: entry)
        let after = store.principalChangeStamp()
        #expect(after != before)
        #expect(try await store.newestAuditRecord()?.entry == entry)

        // A refused change writes neither its change nor its record.
        await #expect(throws: RepositoryError.alreadyExists) {
            try await store.applyPrincipalChange(.createUser(user("alice")), audit: entry)
        }
        #expect(try await store.auditRecords(after: 0, limit: 10).count == 1)
    }

    /// A running server's store and an operator's (`trent iam`, another process) over one new
    /// database file that holds an account; the caller removes the files at `path`.
    func serverAndOperator() async throws -> (path: String, server: SQLiteKeyRepository, operator_: SQLiteKeyRepository) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        let server = try SQLiteKeyRepository(path: path)
        let operator_ = try SQLiteKeyRepository(path: path)
        try await operator_.applyPrincipalChange(
            .createAccount(
                AccountRecord(accountId: Self.account, createdAt: Self.date),
                rootKey: credential("AKIAROOT", "arn:aws:iam::\(Self.account):root")),
            audit: nil)
        return (path, server, operator_)
    }

    static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".principal-changes"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func anotherProcessesChangeIsSeenThroughTheChangeFile() async throws {
        let (path, server, operator_) = try await serverAndOperator()
        defer { Self.removeFiles(path) }
        var seen = server.principalChangeStamp()
        for name in ["a", "b", "c"] {
            // Changes in quick succession, within one tick of the file system's clock, still differ.
            try await operator_.applyPrincipalChange(.createUser(user(name, id: "AIDA" + String(repeating: name.uppercased(), count: 17))), audit: nil)
            let now = server.principalChangeStamp()
            #expect(now != seen)
            seen = now
        }
    }

    /// The server keeps the change file open; a file deleted, or replaced by another, is still
    /// followed: changes signalled through the new file are seen.
    @Test func aChangeFileMadeAnewIsFollowed() async throws {
        let (path, server, operator_) = try await serverAndOperator()
        defer { Self.removeFiles(path) }
        var seen = server.principalChangeStamp()
        try FileManager.default.removeItem(atPath: path + ".principal-changes")
        #expect(server.principalChangeStamp() != seen, "a deleted file reads as a change")
        seen = server.principalChangeStamp()
        #expect(server.principalChangeStamp() == seen, "and then as none")
        for name in ["a", "b"] {
            try await operator_.applyPrincipalChange(.createUser(user(name, id: "AIDA" + String(repeating: name.uppercased(), count: 17))), audit: nil)
            let now = server.principalChangeStamp()
            #expect(now != seen)
            seen = now
        }
        // Replaced by a rename, as an editor or a restore from backup would.
        let replacement = path + ".replacement"
        FileManager.default.createFile(atPath: replacement, contents: Data("..".utf8))
        #expect(rename(replacement, path + ".principal-changes") == 0)
        #expect(server.principalChangeStamp() != seen)
        seen = server.principalChangeStamp()
        try await operator_.applyPrincipalChange(.createUser(user("c", id: "AIDA" + String(repeating: "C", count: 17))), audit: nil)
        #expect(server.principalChangeStamp() != seen)
    }
}
