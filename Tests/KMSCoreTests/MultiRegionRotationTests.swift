import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Rotation in step: rotating a multi-Region primary (on demand or by the scheduler) gives every
/// replica the same new version at once; replicas take no rotation of their own and report
/// their primary's schedule. Over the in-memory store and SQLite.
struct MultiRegionRotationTests {
    static let day: TimeInterval = 86400
    static let east = "us-east-1", west = "eu-west-1", south = "ap-south-1"

    /// A primary in us-east-1 with replicas in eu-west-1 and ap-south-1.
    static func primaryWithReplicas(_ f: ServiceFixture) async throws -> KeyMetadata {
        var create = CreateKeyRequest(description: "primary")
        create.multiRegion = true
        let primary = try await f.service.createKey(create, caller: f.caller).keyMetadata
        for region in [west, south] {
            _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: region), caller: f.caller)
        }
        return primary
    }

    static func reference(_ keyId: String, _ region: String) -> KeyReference {
        KeyReference(accountId: "111122223333", region: region, keyId: keyId)
    }

    static func encrypt(_ f: ServiceFixture, _ keyId: String, _ text: String, in region: String) async throws -> Data {
        try await f.service.encrypt(
            EncryptRequest(keyId: keyId, plaintext: Data(text.utf8)), caller: f.caller(account: "111122223333", region: region)
        ).ciphertextBlob
    }

    static func decrypt(_ f: ServiceFixture, _ blob: Data, in region: String) async throws -> String {
        try await f.decrypt(blob, as: f.caller(account: "111122223333", region: region))
    }

    @Test(arguments: [false, true]) func onDemandRotationOfThePrimaryRotatesEveryReplica(sqlite: Bool) async throws {
        let f = try MultiRegionKeyTests.fixture(sqlite: sqlite)
        let primary = try await Self.primaryWithReplicas(f)
        let before = try await Self.encrypt(f, primary.keyId, "version one", in: Self.west)

        _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: f.caller)

        // Every Region is at version 2, with the same material id.
        var materialIds: Set<String> = []
        for region in [Self.east, Self.west, Self.south] {
            let stored = try #require(try await f.repository.key(Self.reference(primary.keyId, region)))
            #expect(stored.currentVersion == 2)
            let described = try await f.service.describeKey(
                DescribeKeyRequest(keyId: primary.keyId), caller: f.caller(account: "111122223333", region: region)
            ).keyMetadata
            materialIds.insert(try #require(described.currentKeyMaterialId))
        }
        #expect(materialIds.count == 1 && materialIds != [primary.currentKeyMaterialId])

        // The newest version made in one Region opens in every other, both ways.
        let fromWest = try await Self.encrypt(f, primary.keyId, "made in the west", in: Self.west)
        let fromEast = try await Self.encrypt(f, primary.keyId, "made in the east", in: Self.east)
        #expect(fromWest[fromWest.startIndex + 14 + primary.keyId.count..<fromWest.startIndex + 18 + primary.keyId.count] == Data([0, 0, 0, 2]))
        for region in [Self.east, Self.south] { #expect(try await Self.decrypt(f, fromWest, in: region) == "made in the west") }
        for region in [Self.west, Self.south] { #expect(try await Self.decrypt(f, fromEast, in: region) == "made in the east") }
        #expect(try await Self.decrypt(f, before, in: Self.south) == "version one")

        // A replica lists the same rotation; its ARN differs only by Region.
        let eastRotations = try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: primary.keyId), caller: f.caller)
        let westRotations = try await f.service.listKeyRotations(
            ListKeyRotationsRequest(keyId: primary.keyId), caller: f.caller(account: "111122223333", region: Self.west))
        #expect(eastRotations.rotations.count == 1 && eastRotations.rotations.first?.rotationType == .onDemand)
        #expect(westRotations.rotations == eastRotations.rotations)

        // A replica made after the rotation has both versions.
        _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "sa-east-1"), caller: f.caller)
        #expect(try await Self.decrypt(f, before, in: "sa-east-1") == "version one")
        #expect(try await Self.decrypt(f, fromEast, in: "sa-east-1") == "made in the east")
    }

    @Test func aReplicaTakesNoRotationOfItsOwnAndReportsItsPrimarys() async throws {
        let f = ServiceFixture()
        let primary = try await Self.primaryWithReplicas(f)
        let west = f.caller(account: "111122223333", region: Self.west)
        let replicaArn = "arn:aws:kms:eu-west-1:111122223333:key/\(primary.keyId)"
        let refusal = KMSError(.unsupportedOperation, "\(replicaArn) is not a multi-Region primary key.")
        #expect(await kmsError { _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: primary.keyId), caller: west) } == refusal)
        #expect(await kmsError { _ = try await f.service.disableKeyRotation(DisableKeyRotationRequest(keyId: primary.keyId), caller: west) } == refusal)
        #expect(await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: west) } == refusal)
        #expect(try await f.repository.key(Self.reference(primary.keyId, Self.west))?.currentVersion == 1)

        var status = try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: primary.keyId), caller: west)
        #expect(!status.keyRotationEnabled && status.keyId == replicaArn)

        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: primary.keyId, rotationPeriodInDays: 120), caller: f.caller)
        let next = f.clock.now().addingTimeInterval(120 * Self.day)
        status = try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: primary.keyId), caller: west)
        #expect(status.keyRotationEnabled && status.rotationPeriodInDays == 120 && status.nextRotationDate == next)
        #expect(status.keyId == replicaArn)

        // While the primary waits to be deleted nothing rotates, and the replica says so.
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: primary.keyId), caller: f.caller)
        status = try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: primary.keyId), caller: west)
        #expect(!status.keyRotationEnabled && status.rotationPeriodInDays == nil && status.nextRotationDate == nil)
    }

    @Test(arguments: [false, true]) func theSchedulerRotatesEveryRegionAtOnce(sqlite: Bool) async throws {
        let f = try MultiRegionKeyTests.fixture(sqlite: sqlite)
        let primary = try await Self.primaryWithReplicas(f)
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: primary.keyId, rotationPeriodInDays: 90), caller: f.caller)
        let due = f.clock.now().addingTimeInterval(90 * Self.day)
        // One rotation is scheduled for the set, on the primary.
        let scheduled = try await f.service.scheduledWork()
        #expect(scheduled.map(\.kind) == [.rotation] && scheduled.map(\.key.reference.region) == [Self.east])

        f.clock.advance(by: 90 * Self.day)
        let outcomes = await f.service.runDueWork()
        #expect(outcomes.map(\.result) == [.done] && outcomes.first?.work.date == due)
        #expect(await f.service.runDueWork().isEmpty)

        var materials: Set<String> = []
        for region in [Self.east, Self.west, Self.south] {
            let reference = Self.reference(primary.keyId, region)
            #expect(try await f.repository.key(reference)?.currentVersion == 2)
            let material = try #require(try await f.repository.material(reference, version: 2))
            #expect(material.rotationType == .automatic && material.createdAt == due)
            materials.insert(material.materialId)
        }
        #expect(materials.count == 1)
        let status = try await f.service.getKeyRotationStatus(
            GetKeyRotationStatusRequest(keyId: primary.keyId), caller: f.caller(account: "111122223333", region: Self.south))
        #expect(status.nextRotationDate == due.addingTimeInterval(90 * Self.day))

        let fromSouth = try await Self.encrypt(f, primary.keyId, "after the automatic rotation", in: Self.south)
        #expect(try await Self.decrypt(f, fromSouth, in: Self.east) == "after the automatic rotation")

        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let rotations = events.filter { $0.eventName == "RotateKey" }
        #expect(rotations.count == 1 && rotations.first?.resources.map(\.arn) == [primary.arn])
    }

    @Test(arguments: [false, true]) func theScheduleMovesWithThePrimaryRegion(sqlite: Bool) async throws {
        let f = try MultiRegionKeyTests.fixture(sqlite: sqlite)
        let primary = try await Self.primaryWithReplicas(f)
        let west = f.caller(account: "111122223333", region: Self.west)
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: primary.keyId, rotationPeriodInDays: 90), caller: f.caller)
        _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: f.caller)
        let due = f.clock.now().addingTimeInterval(90 * Self.day)

        _ = try await f.service.updatePrimaryRegion(UpdatePrimaryRegionRequest(keyId: primary.keyId, primaryRegion: Self.west), caller: f.caller)
        let newPrimary = try #require(try await f.repository.key(Self.reference(primary.keyId, Self.west)))
        #expect(newPrimary.rotationPeriodInDays == 90 && newPrimary.nextRotationDate == due && newPrimary.onDemandRotations == 1)
        let formerPrimary = try #require(try await f.repository.key(Self.reference(primary.keyId, Self.east)))
        #expect(formerPrimary.rotationPeriodInDays == nil && formerPrimary.nextRotationDate == nil)
        // The former primary is a replica now: it reports the new primary's schedule, and refuses rotation.
        let status = try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: primary.keyId), caller: f.caller)
        #expect(status.keyRotationEnabled && status.rotationPeriodInDays == 90 && status.nextRotationDate == due)
        #expect(
            await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: f.caller) }?
                .code == .unsupportedOperation)
        _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: west)

        f.clock.advance(by: 90 * Self.day)
        #expect(await f.service.runDueWork().map(\.work.key.reference.region) == [Self.west])
        for region in [Self.east, Self.west, Self.south] {
            #expect(try await f.repository.key(Self.reference(primary.keyId, region))?.currentVersion == 4)
        }
    }

    /// Another process replicated the key between this one's read and its rotation: the claim
    /// fails rather than leave the new replica a version behind.
    @Test func aRotationThatMissedANewReplicaIsRefused() async throws {
        let f = ServiceFixture()
        let primary = try await Self.primaryWithReplicas(f)
        let record = try #require(try await f.repository.key(Self.reference(primary.keyId, Self.east)))
        let (stale, _) = try await f.service.rotateRelatedKeys(record, type: .onDemand, expectedNextRotationDate: nil, nextRotationDate: nil)
        _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "sa-east-1"), caller: f.caller)
        await #expect(throws: RepositoryError.conflict) { try await f.repository.apply([stale]) }
        #expect(try await f.repository.key(Self.reference(primary.keyId, Self.east))?.currentVersion == 1)
    }
}
