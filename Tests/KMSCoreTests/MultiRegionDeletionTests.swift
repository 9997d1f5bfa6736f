import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Deleting multi-Region keys: a replica is deleted like any key; a primary that still has
/// replicas waits, PendingReplicaDeletion, and its own waiting period starts when its last
/// replica is deleted. Over the in-memory store and SQLite, on a manual clock.
struct MultiRegionDeletionTests {
    static let day: TimeInterval = 86400
    typealias R = MultiRegionRotationTests

    @Test(arguments: [false, true]) func aPrimaryWaitsForItsReplicasThenItsOwnPeriod(sqlite: Bool) async throws {
        let f = try MultiRegionKeyTests.fixture(sqlite: sqlite)
        let primary = try await R.primaryWithReplicas(f)
        let west = f.caller(account: "111122223333", region: R.west)
        let south = f.caller(account: "111122223333", region: R.south)

        let scheduled = try await f.service.scheduleKeyDeletion(
            ScheduleKeyDeletionRequest(keyId: primary.keyId, pendingWindowInDays: 7), caller: f.caller)
        #expect(scheduled.keyState == .pendingReplicaDeletion && scheduled.deletionDate == nil && scheduled.pendingWindowInDays == 7)
        var described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: f.caller).keyMetadata
        #expect(described.keyState == .pendingReplicaDeletion && !described.enabled)
        #expect(described.deletionDate == nil && described.pendingDeletionWindowInDays == 7)
        #expect(described.multiRegionConfiguration?.replicaKeys.map(\.region) == [R.south, R.west])

        // The primary can be neither used nor replicated; its replicas carry on.
        let unusable = KMSError(.invalidState, "\(primary.arn) is pending replica deletion.")
        #expect(await kmsError { _ = try await f.encrypt(primary.keyId, "no") } == unusable)
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "sa-east-1"), caller: f.caller)
            } == unusable)
        #expect(
            await kmsError {
                _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: f.caller)
            } == unusable)
        let fromWest = try await R.encrypt(f, primary.keyId, "still here", in: R.west)
        #expect(try await R.decrypt(f, fromWest, in: R.south) == "still here")

        // No date is known, so nothing is scheduled, however long it waits.
        #expect(try await f.service.scheduledWork().isEmpty)
        f.clock.advance(by: 60 * Self.day)
        #expect(await f.service.runDueWork().isEmpty)
        #expect(try await f.repository.key(R.reference(primary.keyId, R.east))?.keyState == .pendingReplicaDeletion)

        // The replicas are deleted like any key; the primary waits for the last one.
        let westDeletion = try await f.service.scheduleKeyDeletion(
            ScheduleKeyDeletionRequest(keyId: primary.keyId, pendingWindowInDays: 7), caller: west)
        #expect(westDeletion.keyState == .pendingDeletion && westDeletion.deletionDate == f.clock.now().addingTimeInterval(7 * Self.day))
        f.clock.advance(by: 3 * Self.day)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId, pendingWindowInDays: 10), caller: south)
        #expect(try await f.service.scheduledWork().map(\.key.reference.region) == [R.west, R.south])

        f.clock.advance(by: 4 * Self.day)
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        #expect(try await f.repository.key(R.reference(primary.keyId, R.west)) == nil)
        described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: f.caller).keyMetadata
        #expect(described.keyState == .pendingReplicaDeletion && described.multiRegionConfiguration?.replicaKeys.map(\.region) == [R.south])

        f.clock.advance(by: 6 * Self.day)
        let lastReplicaGone = f.clock.now()
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: f.caller).keyMetadata
        #expect(described.keyState == .pendingDeletion && described.pendingDeletionWindowInDays == nil)
        #expect(described.deletionDate == lastReplicaGone.addingTimeInterval(7 * Self.day))
        #expect(described.multiRegionConfiguration?.replicaKeys == [])
        let work = try await f.service.scheduledWork()
        #expect(work.map(\.kind) == [.deletion] && work.map(\.date) == [lastReplicaGone.addingTimeInterval(7 * Self.day)])

        f.clock.advance(by: 7 * Self.day - 1)
        #expect(await f.service.runDueWork().isEmpty)
        f.clock.advance(by: 1)
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        #expect(try await f.repository.multiRegionKeys(accountId: "111122223333", keyId: primary.keyId).isEmpty)
        let events = try await f.repository.auditRecords(after: 0, limit: 200).map { try CloudTrailEvent.decode($0.entry.record) }
        #expect(events.filter { $0.eventName == "DeleteKey" }.flatMap { $0.resources.map(\.arn) }.count == 3)
    }

    @Test func aCancelledPrimaryStaysWhenItsReplicasGo() async throws {
        let f = ServiceFixture()
        let primary = try await R.primaryWithReplicas(f)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId, pendingWindowInDays: 7), caller: f.caller)
        let cancelled = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: primary.keyId), caller: f.caller)
        #expect(cancelled.keyId == primary.arn)
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: f.caller).keyMetadata
        #expect(described.keyState == .disabled && described.deletionDate == nil && described.pendingDeletionWindowInDays == nil)

        for region in [R.west, R.south] {
            _ = try await f.service.scheduleKeyDeletion(
                ScheduleKeyDeletionRequest(keyId: primary.keyId, pendingWindowInDays: 7), caller: f.caller(account: "111122223333", region: region))
        }
        f.clock.advance(by: 7 * Self.day)
        #expect(await f.service.runDueWork().map(\.result) == [.done, .done])
        #expect(try await f.repository.key(R.reference(primary.keyId, R.east))?.keyState == .disabled)
        #expect(try await f.service.scheduledWork().isEmpty)
    }

    @Test func aPrimaryWithoutReplicasAndAReplicaAreDeletedLikeAnyKey() async throws {
        let f = ServiceFixture()
        var create = CreateKeyRequest()
        create.multiRegion = true
        let lone = try await f.service.createKey(create, caller: f.caller).keyMetadata
        let scheduled = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: lone.keyId, pendingWindowInDays: 7), caller: f.caller)
        #expect(scheduled.keyState == .pendingDeletion && scheduled.deletionDate == f.clock.now().addingTimeInterval(7 * Self.day))
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: lone.keyId), caller: f.caller).keyMetadata
        #expect(described.pendingDeletionWindowInDays == nil)

        let primary = try await R.primaryWithReplicas(f)
        let west = f.caller(account: "111122223333", region: R.west)
        let replica = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: west)
        #expect(replica.keyState == .pendingDeletion && replica.deletionDate == f.clock.now().addingTimeInterval(30 * Self.day))
        #expect(try await f.repository.key(R.reference(primary.keyId, R.east))?.keyState == .enabled)
        // Cancelled, the replica comes back Disabled, as any key does.
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: primary.keyId), caller: west)
        #expect(try await f.repository.key(R.reference(primary.keyId, R.west))?.keyState == .disabled)
    }

    @Test func updatePrimaryRegionNeedsBothKeysEnabled() async throws {
        let f = ServiceFixture()
        let primary = try await R.primaryWithReplicas(f)
        let west = f.caller(account: "111122223333", region: R.west)
        let westArn = "arn:aws:kms:eu-west-1:111122223333:key/\(primary.keyId)"
        let update = UpdatePrimaryRegionRequest(keyId: primary.keyId, primaryRegion: R.west)

        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: west)
        #expect(
            await kmsError { _ = try await f.service.updatePrimaryRegion(update, caller: f.caller) }
                == KMSError(.invalidState, "\(westArn) is pending deletion."))
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: primary.keyId), caller: west)
        #expect(
            await kmsError { _ = try await f.service.updatePrimaryRegion(update, caller: f.caller) }
                == KMSError(.disabled, "\(westArn) is disabled."))
        _ = try await f.service.enableKey(EnableKeyRequest(keyId: primary.keyId), caller: west)
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: primary.keyId), caller: f.caller)
        #expect(
            await kmsError { _ = try await f.service.updatePrimaryRegion(update, caller: f.caller) }
                == KMSError(.disabled, "\(primary.arn) is disabled."))
        _ = try await f.service.enableKey(EnableKeyRequest(keyId: primary.keyId), caller: f.caller)
        _ = try await f.service.updatePrimaryRegion(update, caller: f.caller)

        // A primary waiting for its replicas cannot hand the role on either.
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: west)
        #expect(
            await kmsError {
                _ = try await f.service.updatePrimaryRegion(UpdatePrimaryRegionRequest(keyId: primary.keyId, primaryRegion: R.east), caller: west)
            } == KMSError(.invalidState, "\(westArn) is pending replica deletion."))
    }

    @Test func managementOfAPrimaryPendingReplicaDeletionIsRefused() async throws {
        let f = ServiceFixture()
        let primary = try await R.primaryWithReplicas(f)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: f.caller)
        let refusal = KMSError(.invalidState, "\(primary.arn) is pending replica deletion.")
        #expect(await kmsError { _ = try await f.service.enableKey(EnableKeyRequest(keyId: primary.keyId), caller: f.caller) } == refusal)
        #expect(
            await kmsError {
                _ = try await f.service.updateKeyDescription(UpdateKeyDescriptionRequest(keyId: primary.keyId, description: "x"), caller: f.caller)
            } == refusal)
        #expect(
            await kmsError {
                _ = try await f.service.tagResource(TagResourceRequest(keyId: primary.keyId, tags: [Tag(tagKey: "a", tagValue: "b")]), caller: f.caller)
            } == refusal)
        #expect(
            await kmsError {
                _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/nope", targetKeyId: primary.keyId), caller: f.caller)
            } == refusal)
        #expect(
            await kmsError {
                _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: primary.keyId), caller: f.caller)
            } == refusal)
    }
}
