import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Scheduled deletion executes when its waiting period ends, and only then; a cancelled one never.
struct KeyDeletionTests {
    static let day: TimeInterval = 86400

    @Test func deletionExecutesWhenTheWaitingPeriodEnds() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey(tags: [Tag(tagKey: "t", tagValue: "v")])
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/doomed", targetKeyId: key.keyId), caller: f.caller)
        let blob = try await f.encrypt(key.keyId, "secret")
        _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller)
        let scheduled = try await f.service.scheduleKeyDeletion(
            ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)

        f.clock.advance(by: 7 * Self.day - 1)
        #expect(await f.service.runDueWork().isEmpty)
        #expect(try await f.service.scheduledWork().map(\.kind) == [.deletion])
        f.clock.advance(by: 1)
        let outcomes = await f.service.runDueWork()
        #expect(outcomes.map(\.result) == [.done] && outcomes.first?.work.date == scheduled.deletionDate)

        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)
        #expect(try await f.repository.key(reference) == nil)
        #expect(try await f.repository.material(reference, version: 1) == nil)
        #expect(try await f.repository.material(reference, version: 2) == nil)
        #expect(try await f.repository.tags(reference).isEmpty)
        #expect(try await f.repository.alias(accountId: "111122223333", region: "us-east-1", name: "alias/doomed") == nil)
        #expect(!f.service.materialCache.holds(reference))

        #expect(
            await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller) }
                == KMSError(.notFound, "Key '\(key.arn)' does not exist"))
        #expect(await kmsError { _ = try await f.decrypt(blob) } == KMSError.invalidCiphertext)
        #expect(try await f.service.scheduledWork().isEmpty)

        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let deletion = try #require(events.first { $0.eventName == "DeleteKey" })
        #expect(deletion.eventType == "AwsServiceEvent" && deletion.resources.map(\.arn) == [key.arn])
    }

    @Test func aCancelledDeletionNeverExecutes() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        f.clock.advance(by: 30 * Self.day)
        #expect(await f.service.runDueWork().isEmpty)
        #expect(try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller).keyMetadata.keyState == .disabled)
    }

    /// A process that read the deletion as due, then lost the race to a cancel: the claim fails.
    @Test func aStaleClaimIsRefused() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let scheduled = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)
        await #expect(throws: RepositoryError.conflict) {
            try await f.repository.apply([.deleteKey(reference, deletionDate: scheduled.deletionDate!)])
        }
        #expect(try await f.repository.key(reference) != nil)
    }

    @Test func deletionSurvivesARestartOfTheStore() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        let first = ServiceFixture(repository: try SQLiteKeyRepository(path: path))
        let key = try await first.createKey()
        _ = try await first.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: first.caller)

        let reopened = try SQLiteKeyRepository(path: path)
        let clock = ManualWallClock(first.clock.now().addingTimeInterval(8 * Self.day))
        let second = KeyManagementService(repository: reopened, rootKey: first.rootKey, clock: clock)
        #expect(try await second.scheduledWork().map(\.key.reference.keyId) == [key.keyId])
        #expect(await second.runDueWork().map(\.result) == [.done])
        #expect(try await reopened.key(KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)) == nil)
    }
}

/// Destroyed material must not come back into memory through a load that raced its destruction.
struct MaterialCacheTests {
    @Test func aLoadThatRacedADestructionDoesNotStoreWhatItRead() {
        let cache = MaterialCache()
        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: "k")
        let key = MaterialCacheKey(reference: reference, version: 1)
        let material = CachedMaterial(material: .symmetric(SymmetricKeyMaterial.generate().material), materialId: "m")

        cache.store(material, for: key, loadedAt: cache.generation)
        #expect(cache.holds(reference))
        cache.forget(reference)
        #expect(!cache.holds(reference))

        let startedBefore = cache.generation
        cache.forget(reference)  // the destruction commits while the load is under way
        cache.store(material, for: key, loadedAt: startedBefore)
        #expect(!cache.holds(reference))
    }
}
