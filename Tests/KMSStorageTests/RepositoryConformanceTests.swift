import Foundation
import KMSCrypto
import KMSModel
import Testing

@testable import KMSStorage

/// One suite, run against every repository implementation.
struct RepositoryConformanceTests {
    enum Implementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case memory, sqlite, cachedSQLite
        var testDescription: String { rawValue }

        func make() throws -> any KeyRepository {
            switch self {
            case .memory: return MemoryKeyRepository()
            case .sqlite:
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
                return try SQLiteKeyRepository(path: path)
            case .cachedSQLite:
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
                return CachingKeyRepository(try SQLiteKeyRepository(path: path))
            }
        }
    }

    static let date = Date(timeIntervalSince1970: 1_767_225_600)

    func key(_ id: String, account: String = "111122223333", region: String = "us-east-1") -> KeyRecord {
        KeyRecord(
            reference: KeyReference(accountId: account, region: region, keyId: id), creationDate: Self.date,
            description: "d", keyUsage: .encryptDecrypt, keySpec: .symmetricDefault, keyState: .enabled, origin: .awsKMS,
            keyManager: .customer)
    }

    func material(_ key: KeyRecord, version: Int = 1) -> KeyMaterialRecord {
        KeyMaterialRecord(
            reference: key.reference, version: version, materialId: String(repeating: "a", count: 64),
            wrappedMaterial: Data([1, 2, 3, UInt8(version)]), createdAt: Self.date)
    }

    @Test(arguments: Implementation.allCases)
    func keysRoundTripAndUpdate(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [Tag(tagKey: "t", tagValue: "v")])
        #expect(try await repository.key(k.reference) == k)
        #expect(try await repository.material(k.reference, version: 1) == material(k))
        #expect(try await repository.material(k.reference, version: 2) == nil)
        #expect(try await repository.tags(k.reference) == [Tag(tagKey: "t", tagValue: "v")])

        k.keyState = .pendingDeletion
        k.deletionDate = Self.date.addingTimeInterval(86400 * 7)
        k.pendingWindowInDays = 7
        try await repository.updateKey(k)
        #expect(try await repository.key(k.reference) == k)

        await #expect(throws: RepositoryError.alreadyExists) { try await repository.insertKey(k, material: material(k), tags: []) }
        await #expect(throws: RepositoryError.notFound) { try await repository.updateKey(key("missing")) }
    }

    @Test(arguments: Implementation.allCases)
    func keysAreListedPerNamespaceInPages(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        for id in ["c", "a", "b"] {
            let k = key(id)
            try await repository.insertKey(k, material: material(k), tags: [])
        }
        let elsewhere = key("z", account: "444455556666")
        try await repository.insertKey(elsewhere, material: material(elsewhere), tags: [])
        let otherRegion = key("y", region: "eu-west-1")
        try await repository.insertKey(otherRegion, material: material(otherRegion), tags: [])

        let first = try await repository.listKeyIds(accountId: "111122223333", region: "us-east-1", after: nil, limit: 2)
        #expect(first == ["a", "b"])
        let second = try await repository.listKeyIds(accountId: "111122223333", region: "us-east-1", after: "b", limit: 2)
        #expect(second == ["c"])
        #expect(try await repository.listKeyIds(accountId: "111122223333", region: "eu-west-1", after: nil, limit: 10) == ["y"])
    }

    @Test(arguments: Implementation.allCases)
    func aliasesAreUniquePerNamespace(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let alias = AliasRecord(
            accountId: "111122223333", region: "us-east-1", aliasName: "alias/a", targetKeyId: "k1",
            creationDate: Self.date, lastUpdatedDate: Self.date)
        try await repository.insertAlias(alias)
        await #expect(throws: RepositoryError.alreadyExists) { try await repository.insertAlias(alias) }
        var sameNameElsewhere = alias
        sameNameElsewhere.region = "eu-west-1"
        try await repository.insertAlias(sameNameElsewhere)

        var moved = alias
        moved.targetKeyId = "k2"
        moved.lastUpdatedDate = Self.date.addingTimeInterval(60)
        try await repository.updateAlias(moved)
        #expect(try await repository.alias(accountId: "111122223333", region: "us-east-1", name: "alias/a") == moved)

        var second = alias
        second.aliasName = "alias/b"
        try await repository.insertAlias(second)
        let all = try await repository.listAliases(
            accountId: "111122223333", region: "us-east-1", targetKeyId: nil, after: nil, limit: 10)
        #expect(all.map(\.aliasName) == ["alias/a", "alias/b"])
        let forK1 = try await repository.listAliases(
            accountId: "111122223333", region: "us-east-1", targetKeyId: "k1", after: nil, limit: 10)
        #expect(forK1.map(\.aliasName) == ["alias/b"])
        let afterA = try await repository.listAliases(
            accountId: "111122223333", region: "us-east-1", targetKeyId: nil, after: "alias/a", limit: 10)
        #expect(afterA.map(\.aliasName) == ["alias/b"])

        #expect(try await repository.deleteAlias(accountId: "111122223333", region: "us-east-1", name: "alias/a"))
        #expect(try await !repository.deleteAlias(accountId: "111122223333", region: "us-east-1", name: "alias/a"))
        await #expect(throws: RepositoryError.notFound) { try await repository.updateAlias(moved) }
    }

    @Test(arguments: Implementation.allCases)
    func tagsAreUpsertedAndRemoved(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [])
        try await repository.putTags(k.reference, [Tag(tagKey: "b", tagValue: "1"), Tag(tagKey: "a", tagValue: "2")])
        try await repository.putTags(k.reference, [Tag(tagKey: "b", tagValue: "3")])
        #expect(try await repository.tags(k.reference) == [Tag(tagKey: "a", tagValue: "2"), Tag(tagKey: "b", tagValue: "3")])
        try await repository.removeTags(k.reference, keys: ["a", "missing"])
        #expect(try await repository.tags(k.reference) == [Tag(tagKey: "b", tagValue: "3")])
    }

    @Test(arguments: Implementation.allCases)
    func credentialsAreStoredOnce(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        #expect(try await repository.credentialCount() == 0)
        let credential = CredentialRecord(
            accessKeyId: "AKIAEXAMPLE", accountId: "111122223333", principalArn: "arn:aws:iam::111122223333:root",
            wrappedSecret: Data([9, 9]), createdAt: Self.date)
        try await repository.insertCredential(credential)
        #expect(try await repository.credential(accessKeyId: "AKIAEXAMPLE") == credential)
        #expect(try await repository.credential(accessKeyId: "AKIAOTHER") == nil)
        #expect(try await repository.credentialCount() == 1)
        await #expect(throws: RepositoryError.alreadyExists) { try await repository.insertCredential(credential) }
    }

    @Test func sqliteKeepsEverythingAcrossReopen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        let k = key("k1")
        do {
            let repository = try SQLiteKeyRepository(path: path)
            try await repository.insertKey(k, material: material(k), tags: [Tag(tagKey: "t", tagValue: "v")])
        }
        let reopened = try SQLiteKeyRepository(path: path)
        #expect(try await reopened.key(k.reference) == k)
        #expect(try await reopened.tags(k.reference).count == 1)
    }
}

extension RepositoryConformanceTests {
    func auditEntry(_ name: String) -> AuditEntry {
        AuditEntry(
            eventTime: Self.date, eventName: name, principalArn: nil, keyArn: nil, secondaryKeyArn: nil, errorCode: nil,
            record: Data(name.utf8))
    }

    @Test(arguments: Implementation.allCases)
    func aRefusedItemLeavesNoTraceAndTakesNoSequence(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let k = key("k1")
        let alias = AliasRecord(
            accountId: "111122223333", region: "us-east-1", aliasName: "alias/a", targetKeyId: "k1",
            creationDate: Self.date, lastUpdatedDate: Self.date)
        let outcomes = try await repository.commit([
            CommitItem(mutations: [.insertKey(k, material: material(k), tags: [])], audit: auditEntry("first")),
            // Refused at its second alias insert: its key insert and first alias must roll back with it.
            CommitItem(
                mutations: [.insertKey(key("k2"), material: material(key("k2")), tags: []), .insertAlias(alias), .insertAlias(alias)],
                audit: auditEntry("refused")),
            CommitItem(mutations: [], audit: auditEntry("third")),
        ])
        #expect(outcomes == [.committed(sequence: 1), .refused(.alreadyExists), .committed(sequence: 2)])
        #expect(try await repository.key(key("k2").reference) == nil, "a refused item's other changes are rolled back")
        #expect(try await repository.alias(accountId: "111122223333", region: "us-east-1", name: "alias/a") == nil)
        let records = try await repository.auditRecords(after: 0, limit: 10)
        #expect(records.map(\.entry.record) == [Data("first".utf8), Data("third".utf8)])
        #expect(records[1].previousHash == records[0].hash)
    }

    @Test(arguments: Implementation.allCases)
    func anAuditEntryReadsBackAsWritten(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let full = AuditEntry(
            eventTime: Date(timeIntervalSince1970: 1_795_000_000.25), eventName: "ReEncrypt",
            principalArn: "arn:aws:iam::111122223333:user/Zoë", keyArn: "arn:k1", secondaryKeyArn: "arn:k2",
            errorCode: "AccessDeniedException", record: Data("{\"eventName\":\"ReEncrypt\",\"é\":\"\\u0000\"}".utf8))
        let bare = auditEntry("GenerateRandom")
        _ = try await repository.commit([full, bare].map { CommitItem(mutations: [], audit: $0) })
        let records = try await repository.auditRecords(after: 0, limit: 10)
        #expect(records.map(\.entry) == [full, bare])
        #expect(records.map(\.sequence) == [1, 2])
        #expect(records[0].previousHash == AuditChainHash.genesis)
        #expect(records[0].hash == AuditChainHash.link(previous: AuditChainHash.genesis, sequence: 1, record: full.record))
        #expect(records[1].previousHash == records[0].hash)
    }

    @Test(arguments: Implementation.allCases)
    func auditQueriesFilterAndTrim(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var failed = auditEntry("Decrypt")
        failed.errorCode = "InvalidCiphertextException"
        failed.keyArn = "arn:k1"
        var reEncrypt = auditEntry("ReEncrypt")
        reEncrypt.keyArn = "arn:k2"
        reEncrypt.secondaryKeyArn = "arn:k1"
        _ = try await repository.commit([failed, reEncrypt, auditEntry("ListKeys")].map { CommitItem(mutations: [], audit: $0) })
        let forK1 = try await repository.latestAuditRecords(matching: AuditFilter(keyArn: "arn:k1"), limit: 10)
        #expect(forK1.map(\.entry.eventName) == ["ReEncrypt", "Decrypt"])
        let succeeded = try await repository.latestAuditRecords(matching: AuditFilter(keyArn: "arn:k1", succeededOnly: true), limit: 10)
        #expect(succeeded.map(\.entry.eventName) == ["ReEncrypt"])
        #expect(try await repository.newestAuditRecord()?.sequence == 3)
        try await repository.trimAudit(through: 2)
        #expect(try await repository.oldestAuditRecord()?.sequence == 3)
    }

    @Test(arguments: Implementation.allCases)
    func rotationIsAClaimOnTheVersionAndDueDate(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let k = key("k")
        try await repository.insertKey(k, material: material(k), tags: [])
        let due = Self.date.addingTimeInterval(86400 * 90)
        try await repository.apply([.setRotation(k.reference, periodInDays: 90, nextRotationDate: due)])
        var v2 = material(k, version: 2)
        v2.rotationType = .automatic
        let next = due.addingTimeInterval(86400 * 90)
        let rotate = Mutation.rotateKey(k.reference, material: v2, expectedNextRotationDate: due, nextRotationDate: next, onDemand: false)
        try await repository.apply([rotate])
        // The same claim again (a second process that read the same due date) is refused.
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([rotate]) }
        var stored = try #require(try await repository.key(k.reference))
        #expect(stored.currentVersion == 2 && stored.nextRotationDate == next && stored.rotationPeriodInDays == 90)
        #expect(try await repository.material(k.reference, version: 2) == v2)

        // On demand: no expected date, the schedule kept, the count raised.
        let v3 = material(k, version: 3)
        try await repository.apply([.rotateKey(k.reference, material: v3, expectedNextRotationDate: nil, nextRotationDate: nil, onDemand: true)])
        stored = try #require(try await repository.key(k.reference))
        #expect(stored.currentVersion == 3 && stored.nextRotationDate == next && stored.onDemandRotations == 1)
        #expect(try await repository.materials(k.reference, afterVersion: 1, limit: 10).map(\.version) == [2, 3])
        #expect(try await repository.materials(k.reference, afterVersion: 0, limit: 2).map(\.version) == [1, 2])

        // A stale full-record update does not roll the version or the schedule back.
        var stale = k
        stale.description = "changed"
        try await repository.updateKey(stale)
        stored = try #require(try await repository.key(k.reference))
        #expect(stored.description == "changed" && stored.currentVersion == 3 && stored.nextRotationDate == next)

        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.setRotation(key("missing").reference, periodInDays: nil, nextRotationDate: nil)])
        }
    }

    @Test(arguments: Implementation.allCases)
    func scheduledWorkAndDeletion(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var doomed = key("doomed")
        let rotating = key("rotating")
        try await repository.insertKey(doomed, material: material(doomed), tags: [Tag(tagKey: "t", tagValue: "v")])
        try await repository.insertKey(rotating, material: material(rotating), tags: [])
        try await repository.insertAlias(
            AliasRecord(accountId: "111122223333", region: "us-east-1", aliasName: "alias/d", targetKeyId: "doomed",
                creationDate: Self.date, lastUpdatedDate: Self.date))
        let deletion = Self.date.addingTimeInterval(86400 * 7)
        doomed.keyState = .pendingDeletion
        doomed.deletionDate = deletion
        try await repository.updateKey(doomed)
        try await repository.apply([.setRotation(rotating.reference, periodInDays: 90, nextRotationDate: Self.date.addingTimeInterval(86400 * 90))])

        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.kind) == [.deletion, .rotation])
        #expect(try await repository.scheduledWork(dueBy: deletion, limit: 10).map(\.key.reference.keyId) == ["doomed"])
        #expect(try await repository.scheduledWork(dueBy: deletion.addingTimeInterval(-1), limit: 10).isEmpty)

        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.deleteKey(doomed.reference, deletionDate: deletion.addingTimeInterval(1))])
        }
        try await repository.apply([.deleteKey(doomed.reference, deletionDate: deletion)])
        #expect(try await repository.key(doomed.reference) == nil)
        #expect(try await repository.material(doomed.reference, version: 1) == nil)
        #expect(try await repository.tags(doomed.reference).isEmpty)
        #expect(try await repository.alias(accountId: "111122223333", region: "us-east-1", name: "alias/d") == nil)
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.deleteKey(doomed.reference, deletionDate: deletion)])
        }
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.kind) == [.rotation])
    }
}

extension RepositoryConformanceTests {
    @Test(arguments: Implementation.allCases)
    func importedMaterialComesGoesAndExpires(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var k = key("ext")
        k.origin = .external
        k.keyState = .pendingImport
        try await repository.insertKey(k, material: nil, tags: [])
        #expect(try await repository.key(k.reference) == k)
        #expect(try await repository.material(k.reference, version: 1) == nil)

        // Import parameters: stored for an existing key only, read back by token id, trimmed when old.
        let parameters = ImportParametersRecord(
            tokenId: String(repeating: "b", count: 64), reference: k.reference, wrappingAlgorithm: .rsaAESKeyWrapSHA256,
            wrappingKeySpec: .rsa3072, wrappedPrivateKey: Data([9, 9]), createdAt: Self.date,
            validTo: Self.date.addingTimeInterval(86400))
        try await repository.apply([.insertImportParameters(parameters)])
        #expect(try await repository.importParameters(tokenId: parameters.tokenId) == parameters)
        var orphan = parameters
        orphan.tokenId = String(repeating: "c", count: 64)
        orphan.reference = key("missing").reference
        await #expect(throws: RepositoryError.notFound) { try await repository.apply([.insertImportParameters(orphan)]) }
        try await repository.apply([.deleteImportParameters(expiredBefore: Self.date.addingTimeInterval(86400))])
        #expect(try await repository.importParameters(tokenId: parameters.tokenId) == parameters)
        try await repository.apply([.deleteImportParameters(expiredBefore: Self.date.addingTimeInterval(86401))])
        #expect(try await repository.importParameters(tokenId: parameters.tokenId) == nil)

        let validTo = Self.date.addingTimeInterval(86400 * 10)
        let m = material(k)
        try await repository.apply([
            .importKeyMaterial(k.reference, material: m, expirationModel: .keyMaterialExpires, validTo: validTo, description: "first")
        ])
        var imported = try #require(try await repository.key(k.reference))
        #expect(imported.keyState == .enabled && imported.validTo == validTo && imported.expirationModel == .keyMaterialExpires)
        #expect(imported.importedMaterialId == m.materialId)
        #expect(try await repository.material(k.reference, version: 1) == m)
        #expect(
            try await repository.importedMaterials(k.reference) == [
                ImportedMaterialRecord(
                    reference: k.reference, version: 1, materialId: m.materialId,
                    state: .imported(.keyMaterialExpires, validTo: validTo), description: "first", createdAt: Self.date,
                    rotationType: nil)
            ])
        // updateKey leaves the import fields alone.
        imported.keyState = .disabled
        imported.validTo = nil
        try await repository.updateKey(imported)
        #expect(try await repository.key(k.reference)?.validTo == validTo)

        // Other material at version 1 is refused; expiry is listed, claimed once, and keeps the material's row.
        var other = m
        other.materialId = String(repeating: "f", count: 64)
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([
                .importKeyMaterial(k.reference, material: other, expirationModel: .keyMaterialDoesNotExpire, validTo: nil, description: nil)
            ])
        }
        #expect(try await repository.scheduledWork(dueBy: validTo.addingTimeInterval(-1), limit: 10).isEmpty)
        let due = try await repository.scheduledWork(dueBy: validTo, limit: 10)
        #expect(due.map(\.kind) == [.materialExpiry] && due.map(\.materialId) == [m.materialId] && due.map(\.date) == [validTo])
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([
                .deleteImportedKeyMaterial(k.reference, materialId: m.materialId, expectedValidTo: validTo.addingTimeInterval(1))
            ])
        }
        try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: m.materialId, expectedValidTo: validTo)])
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: m.materialId, expectedValidTo: validTo)])
        }
        let expired = try #require(try await repository.key(k.reference))
        #expect(expired.keyState == .pendingImport && expired.validTo == nil && expired.expirationModel == nil)
        #expect(expired.importedMaterialId == m.materialId)
        #expect(try await repository.material(k.reference, version: 1) == nil)
        #expect(try await repository.materials(k.reference, afterVersion: 0, limit: 10).isEmpty)
        #expect(try await repository.importedMaterials(k.reference).map(\.state) == [.pendingImport])
        #expect(try await repository.importedMaterials(k.reference).map(\.description) == ["first"])
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).isEmpty)

        // The same material again, never expiring (the description stays); a key pending deletion
        // keeps that state when its material goes.
        try await repository.apply([
            .importKeyMaterial(k.reference, material: m, expirationModel: .keyMaterialDoesNotExpire, validTo: nil, description: nil)
        ])
        #expect(try await repository.key(k.reference)?.keyState == .enabled)
        #expect(try await repository.importedMaterials(k.reference).map(\.description) == ["first"])
        var doomed = try #require(try await repository.key(k.reference))
        doomed.keyState = .pendingDeletion
        doomed.deletionDate = Self.date
        try await repository.updateKey(doomed)
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([
                .importKeyMaterial(k.reference, material: m, expirationModel: .keyMaterialDoesNotExpire, validTo: nil, description: nil)
            ])
        }
        try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: m.materialId, expectedValidTo: nil)])
        #expect(try await repository.key(k.reference)?.keyState == .pendingDeletion)
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.deleteImportedKeyMaterial(key("missing").reference, materialId: m.materialId, expectedValidTo: nil)])
        }
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: other.materialId, expectedValidTo: nil)])
        }
        try await repository.apply([.deleteKey(k.reference, deletionDate: Self.date)])
        #expect(try await repository.importedMaterials(k.reference).isEmpty)
    }

    /// New material pending rotation, then an on-demand rotation to it; deletions of old and
    /// pending material.
    @Test(arguments: Implementation.allCases)
    func importedMaterialRotates(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var k = key("ext")
        k.origin = .external
        k.keyState = .pendingImport
        try await repository.insertKey(k, material: nil, tags: [])
        func imported(_ version: Int, _ id: Character, validTo: Date? = nil) -> Mutation {
            var m = material(k, version: version)
            m.materialId = String(repeating: id, count: 64)
            return .importKeyMaterial(
                k.reference, material: m, expirationModel: validTo == nil ? .keyMaterialDoesNotExpire : .keyMaterialExpires,
                validTo: validTo, description: nil)
        }
        let later = Self.date.addingTimeInterval(86400 * 30)
        let sooner = Self.date.addingTimeInterval(86400 * 20)
        try await repository.apply([imported(1, "a", validTo: later)])
        // New material goes only at the version after the current one, one at a time, never twice.
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([imported(3, "b")]) }
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([imported(2, "a")]) }
        try await repository.apply([imported(2, "b", validTo: sooner)])
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([imported(2, "c")]) }
        // Pending material is not yet counted in the key's expiry, but does expire.
        var current = try #require(try await repository.key(k.reference))
        #expect(current.currentVersion == 1 && current.validTo == later && current.keyState == .enabled)
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.materialId) == [String(repeating: "b", count: 64), String(repeating: "a", count: 64)])
        #expect(try await repository.material(k.reference, version: 2) != nil)

        // Deleting pending material forgets it; other material can take its place.
        try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: String(repeating: "b", count: 64), expectedValidTo: nil)])
        #expect(try await repository.importedMaterials(k.reference).map(\.version) == [1])
        #expect(try await repository.key(k.reference)?.keyState == .enabled)
        try await repository.apply([imported(2, "c", validTo: sooner)])

        // The rotation is a claim on the version; it makes the material current and counted.
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.rotateToImportedMaterial(k.reference, version: 3, rotatedAt: later)])
        }
        let rotatedAt = Self.date.addingTimeInterval(3600)
        try await repository.apply([.rotateToImportedMaterial(k.reference, version: 2, rotatedAt: rotatedAt)])
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.rotateToImportedMaterial(k.reference, version: 2, rotatedAt: rotatedAt)])
        }
        current = try #require(try await repository.key(k.reference))
        #expect(current.currentVersion == 2 && current.onDemandRotations == 1 && current.validTo == sooner)
        let rows = try await repository.importedMaterials(k.reference)
        #expect(rows.map(\.rotationType) == [nil, .onDemand] && rows.last?.createdAt == rotatedAt)
        #expect(try await repository.materials(k.reference, afterVersion: 0, limit: 10).map(\.version) == [1, 2])

        // Deleting the older, permanently associated material makes the key PendingImport until it comes back.
        try await repository.apply([.deleteImportedKeyMaterial(k.reference, materialId: String(repeating: "a", count: 64), expectedValidTo: later)])
        current = try #require(try await repository.key(k.reference))
        #expect(current.keyState == .pendingImport && current.expirationModel == nil && current.validTo == nil)
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.rotateToImportedMaterial(k.reference, version: 3, rotatedAt: later)])
        }
        try await repository.apply([imported(1, "a")])
        current = try #require(try await repository.key(k.reference))
        #expect(current.keyState == .enabled && current.expirationModel == .keyMaterialExpires && current.validTo == sooner)
    }
}

extension RepositoryConformanceTests {
    @Test func theCacheSeesEveryCommittedChangeAtOnce() async throws {
        let repository = try Implementation.cachedSQLite.make()
        var k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [])
        #expect(try await repository.key(k.reference)?.keyState == .enabled)
        k.keyState = .disabled
        try await repository.updateKey(k)
        #expect(try await repository.key(k.reference)?.keyState == .disabled)
        // A refused change leaves the cached record as it was.
        var missing = key("gone")
        missing.keyState = .disabled
        await #expect(throws: RepositoryError.notFound) { try await repository.updateKey(missing) }
        #expect(try await repository.key(missing.reference) == nil)
    }
}

extension RepositoryConformanceTests {
    func grant(_ id: Character, on key: KeyRecord, grantee: String = "arn:aws:iam::111122223333:role/app", retiring: String? = nil, name: String? = nil) -> GrantRecord {
        GrantRecord(
            grantId: String(repeating: id, count: 64), reference: key.reference, name: name, granteePrincipal: grantee,
            retiringPrincipal: retiring, issuingAccount: "111122223333", operations: [.encrypt, .decrypt, .retireGrant],
            constraints: GrantConstraints(encryptionContextEquals: ["Dept": "IT", "app": "x"]), creationDate: Self.date,
            tokenId: String(repeating: "7", count: 32))
    }

    @Test(arguments: Implementation.allCases)
    func keyPoliciesAreStoredAndOnlySetKeyPolicyChangesThem(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [])
        #expect(try await repository.key(k.reference)?.policy == nil, "nil means the default policy")
        let policy = "{\n  \"Version\": \"2012-10-17\", \"Statement\": []\n}"
        try await repository.apply([.setKeyPolicy(k.reference, policy: policy)])
        #expect(try await repository.key(k.reference)?.policy == policy)
        // A stale full-record update does not roll the policy back.
        k.description = "changed"
        try await repository.updateKey(k)
        let stored = try #require(try await repository.key(k.reference))
        #expect(stored.description == "changed" && stored.policy == policy)
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.setKeyPolicy(key("missing").reference, policy: policy)])
        }
        var withPolicy = key("k2")
        withPolicy.policy = "{}"
        try await repository.insertKey(withPolicy, material: material(withPolicy), tags: [])
        #expect(try await repository.key(withPolicy.reference) == withPolicy)
    }

    @Test(arguments: Implementation.allCases)
    func grantsAreListedFilteredPagedAndDeleted(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let k = key("k1")
        let other = key("k2")
        for record in [k, other] { try await repository.insertKey(record, material: material(record), tags: []) }
        let admin = "arn:aws:iam::111122223333:user/admin"
        let a = grant("a", on: k, retiring: admin, name: "n")
        let b = grant("b", on: k, grantee: "arn:aws:iam::111122223333:role/other", name: "n")
        let c = grant("c", on: k)
        let d = grant("d", on: other, retiring: admin)
        for g in [c, a, d, b] { try await repository.apply([.insertGrant(g)]) }

        #expect(try await repository.grant(id: a.grantId) == a, "every member round-trips, constraints included")
        #expect(try await repository.grant(id: String(repeating: "e", count: 64)) == nil)
        #expect(try await repository.grants(of: k.reference).map(\.grantId) == [a, b, c].map(\.grantId))
        let first = try await repository.grants(of: k.reference, matching: .all, after: nil, limit: 2)
        #expect(first.map(\.grantId) == [a.grantId, b.grantId])
        let second = try await repository.grants(of: k.reference, matching: .all, after: b.grantId, limit: 2)
        #expect(second.map(\.grantId) == [c.grantId])
        let byGrantee = try await repository.grants(
            of: k.reference, matching: GrantFilter(granteePrincipal: "arn:aws:iam::111122223333:role/other"), after: nil, limit: 10)
        #expect(byGrantee == [b])
        #expect(try await repository.grants(of: k.reference, matching: GrantFilter(grantId: c.grantId), after: nil, limit: 10) == [c])
        #expect(try await repository.grants(of: k.reference, matching: GrantFilter(name: "n"), after: nil, limit: 10) == [a, b])
        #expect(try await repository.grants(of: k.reference, matching: GrantFilter(grantId: d.grantId), after: nil, limit: 10).isEmpty)

        // Retirable grants span every key (and account) of the Region, by grant id.
        #expect(try await repository.retirableGrants(retiringPrincipal: admin, region: "us-east-1", after: nil, limit: 10) == [a, d])
        #expect(try await repository.retirableGrants(retiringPrincipal: admin, region: "us-east-1", after: a.grantId, limit: 10) == [d])
        #expect(try await repository.retirableGrants(retiringPrincipal: admin, region: "eu-west-1", after: nil, limit: 10).isEmpty)

        await #expect(throws: RepositoryError.alreadyExists) { try await repository.apply([.insertGrant(a)]) }
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.insertGrant(grant("f", on: key("missing")))])
        }
        // A grant is deleted through its own key only, and once.
        await #expect(throws: RepositoryError.notFound) { try await repository.apply([.deleteGrant(other.reference, grantId: a.grantId)]) }
        try await repository.apply([.deleteGrant(k.reference, grantId: a.grantId)])
        await #expect(throws: RepositoryError.notFound) { try await repository.apply([.deleteGrant(k.reference, grantId: a.grantId)]) }
        #expect(try await repository.grant(id: a.grantId) == nil)
        #expect(try await repository.grants(of: k.reference).map(\.grantId) == [b.grantId, c.grantId])
    }

    @Test(arguments: Implementation.allCases)
    func deletingAKeyDeletesItsGrants(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var doomed = key("doomed")
        let kept = key("kept")
        for record in [doomed, kept] { try await repository.insertKey(record, material: material(record), tags: []) }
        try await repository.apply([.insertGrant(grant("a", on: doomed, retiring: "arn:aws:iam::111122223333:user/admin"))])
        try await repository.apply([.insertGrant(grant("b", on: kept))])
        let deletion = Self.date.addingTimeInterval(86400 * 7)
        doomed.keyState = .pendingDeletion
        doomed.deletionDate = deletion
        try await repository.updateKey(doomed)
        try await repository.apply([.deleteKey(doomed.reference, deletionDate: deletion)])
        #expect(try await repository.grants(of: doomed.reference).isEmpty)
        #expect(try await repository.grant(id: String(repeating: "a", count: 64)) == nil)
        #expect(
            try await repository.retirableGrants(
                retiringPrincipal: "arn:aws:iam::111122223333:user/admin", region: "us-east-1", after: nil, limit: 10
            ).isEmpty)
        #expect(try await repository.grants(of: kept.reference).count == 1)
    }

    @Test func sqliteKeepsPoliciesAndGrantsAcrossReopen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        var k = key("k1")
        k.policy = "{\"Version\":\"2012-10-17\"}"
        let g = grant("a", on: k, name: "n")
        do {
            let repository = try SQLiteKeyRepository(path: path)
            try await repository.insertKey(k, material: material(k), tags: [])
            try await repository.apply([.insertGrant(g)])
        }
        let reopened = try SQLiteKeyRepository(path: path)
        #expect(try await reopened.key(k.reference)?.policy == k.policy)
        #expect(try await reopened.grant(id: g.grantId) == g)
    }

    @Test func theCacheSeesAPolicyChangeAtOnce() async throws {
        let repository = try Implementation.cachedSQLite.make()
        let k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [])
        #expect(try await repository.key(k.reference)?.policy == nil)
        try await repository.apply([.setKeyPolicy(k.reference, policy: "{}")])
        #expect(try await repository.key(k.reference)?.policy == "{}")
    }
}

extension RepositoryConformanceTests {
    /// An alias read before each change is read again after it: for the caching store, a read
    /// fills its cache, and every committed change (retargeting, deletion, a new alias of the same
    /// name, the deletion of the target key) must show at once.
    @Test(arguments: Implementation.allCases)
    func aliasReadsFollowEveryCommittedChange(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var first = key("first")
        let second = key("second")
        try await repository.insertKey(first, material: material(first), tags: [])
        try await repository.insertKey(second, material: material(second), tags: [])
        func read() async throws -> String? {
            try await repository.alias(accountId: "111122223333", region: "us-east-1", name: "alias/app")?.targetKeyId
        }
        func alias(to keyId: String) -> AliasRecord {
            AliasRecord(
                accountId: "111122223333", region: "us-east-1", aliasName: "alias/app", targetKeyId: keyId,
                creationDate: Self.date, lastUpdatedDate: Self.date)
        }

        #expect(try await read() == nil)
        try await repository.insertAlias(alias(to: "first"))
        #expect(try await read() == "first")
        #expect(try await read() == "first")
        try await repository.updateAlias(alias(to: "second"))
        #expect(try await read() == "second")
        #expect(try await repository.deleteAlias(accountId: "111122223333", region: "us-east-1", name: "alias/app"))
        #expect(try await read() == nil)
        try await repository.insertAlias(alias(to: "first"))
        #expect(try await read() == "first")
        // The same name in another Region is another alias.
        #expect(try await repository.alias(accountId: "111122223333", region: "eu-west-1", name: "alias/app") == nil)

        let deletion = Self.date.addingTimeInterval(86400 * 7)
        first.keyState = .pendingDeletion
        first.deletionDate = deletion
        try await repository.updateKey(first)
        #expect(try await read() == "first")
        try await repository.apply([.deleteKey(first.reference, deletionDate: deletion)])
        #expect(try await read() == nil)
    }
}

extension RepositoryConformanceTests {
    /// A key's grants read before each change are read again after it: for the caching store,
    /// a read fills its cache (an empty list included), and a new grant, a retired one and the
    /// deletion of the key must show at once.
    @Test(arguments: Implementation.allCases)
    func grantReadsFollowEveryCommittedChange(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        var k = key("k1")
        try await repository.insertKey(k, material: material(k), tags: [])
        func ids() async throws -> [String] { try await repository.grants(of: k.reference).map(\.grantId) }
        let a = grant("a", on: k), b = grant("b", on: k)

        #expect(try await ids().isEmpty)
        try await repository.apply([.insertGrant(a)])
        #expect(try await ids() == [a.grantId])
        try await repository.apply([.insertGrant(b)])
        #expect(try await ids() == [a.grantId, b.grantId])
        try await repository.apply([.deleteGrant(k.reference, grantId: a.grantId)])
        #expect(try await ids() == [b.grantId])

        let deletion = Self.date.addingTimeInterval(86400 * 7)
        k.keyState = .pendingDeletion
        k.deletionDate = deletion
        try await repository.updateKey(k)
        #expect(try await ids() == [b.grantId])
        try await repository.apply([.deleteKey(k.reference, deletionDate: deletion)])
        #expect(try await ids().isEmpty)
    }
}
