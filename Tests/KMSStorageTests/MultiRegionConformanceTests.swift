import Foundation
import KMSModel
import Testing

@testable import KMSStorage

/// Multi-Region keys in the store: replicas only from a primary as read, rotation of every
/// Region's copy as one claim, the primary's schedule moving with the primary Region, and a
/// primary's waiting period that starts when its last replica goes.
extension RepositoryConformanceTests {
    static let keyId = "mrk-0123456789abcdef0123456789abcdef"

    func primary(state: KeyState = .enabled) -> KeyRecord {
        var k = key(Self.keyId)
        k.multiRegion = true
        k.primaryRegion = "us-east-1"
        k.keyState = state
        return k
    }

    func replica(of primary: KeyRecord, in region: String) -> KeyRecord {
        var r = primary
        r.reference.region = region
        r.rotationPeriodInDays = nil
        r.nextRotationDate = nil
        r.onDemandRotations = 0
        return r
    }

    /// The materials of version `version` for every Region's copy.
    func materials(_ keys: [KeyRecord], version: Int) -> [KeyMaterialRecord] {
        keys.map { material($0, version: version) }
    }

    /// A primary in us-east-1 with a replica in eu-west-1.
    func setUpPair(_ repository: any KeyRepository) async throws -> (KeyRecord, KeyRecord) {
        let p = primary()
        try await repository.insertKey(p, material: material(p), tags: [])
        let r = replica(of: p, in: "eu-west-1")
        try await repository.apply([.insertReplica(r, materials: [material(r)], tags: [])])
        return (p, r)
    }

    @Test(arguments: Implementation.allCases)
    func aReplicaIsMadeOnlyFromThePrimaryAsRead(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let (p, r) = try await setUpPair(repository)
        #expect(try await repository.multiRegionKeys(accountId: p.reference.accountId, keyId: Self.keyId).map(\.reference.region)
            == ["eu-west-1", "us-east-1"])
        await #expect(throws: RepositoryError.alreadyExists) {
            try await repository.apply([.insertReplica(r, materials: [material(r)], tags: [])])
        }
        // The primary moved to version 2 since the copy was read: refused, nothing written.
        try await repository.apply([
            .rotateRelatedKeys(
                primary: p.reference, materials: materials([p, r], version: 2), expectedNextRotationDate: nil, nextRotationDate: nil,
                onDemand: true)
        ])
        let stale = replica(of: p, in: "ap-south-1")
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.insertReplica(stale, materials: [material(stale)], tags: [])])
        }
        #expect(try await repository.key(stale.reference) == nil)
        #expect(try await repository.material(stale.reference, version: 1) == nil)
        var current = stale
        current.currentVersion = 2
        try await repository.apply([.insertReplica(current, materials: materials([current], version: 1) + materials([current], version: 2), tags: [])])

        // A primary scheduled for deletion is not replicated.
        var doomed = try #require(try await repository.key(p.reference))
        doomed.keyState = .pendingReplicaDeletion
        doomed.pendingWindowInDays = 7
        try await repository.updateKey(doomed)
        var late = replica(of: p, in: "sa-east-1")
        late.currentVersion = 2
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.insertReplica(late, materials: materials([late], version: 2), tags: [])])
        }
    }

    @Test(arguments: Implementation.allCases)
    func relatedKeysRotateTogetherOrNotAtAll(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let (p, r) = try await setUpPair(repository)
        let due = Self.date.addingTimeInterval(86400 * 90)
        let next = due.addingTimeInterval(86400 * 90)
        try await repository.apply([.setRotation(p.reference, periodInDays: 90, nextRotationDate: due)])

        func rotate(_ keys: [KeyRecord], version: Int = 2, primary: KeyReference? = nil, expected: Date? = due) -> Mutation {
            .rotateRelatedKeys(
                primary: primary ?? p.reference, materials: materials(keys, version: version), expectedNextRotationDate: expected,
                nextRotationDate: next, onDemand: false)
        }
        // Refused, with nothing written: a Region left out, another version, a replica named as
        // the primary, a due date already claimed, a copy that does not exist.
        for refused in [
            rotate([p]), rotate([p, r], version: 3), rotate([p, r], primary: r.reference), rotate([p, r], expected: next),
            rotate([p, r, replica(of: p, in: "ap-south-1")]),
        ] {
            await #expect(throws: RepositoryError.conflict) { try await repository.apply([refused]) }
        }
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([rotate([p, r], primary: KeyReference(accountId: "111122223333", region: "us-west-2", keyId: Self.keyId))])
        }
        for k in [p, r] {
            #expect(try await repository.key(k.reference)?.currentVersion == 1)
            #expect(try await repository.material(k.reference, version: 2) == nil)
        }

        try await repository.apply([rotate([p, r])])
        // The same claim again (a second process that read the same due date) is refused.
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([rotate([p, r])]) }
        let storedPrimary = try #require(try await repository.key(p.reference))
        let storedReplica = try #require(try await repository.key(r.reference))
        #expect(storedPrimary.currentVersion == 2 && storedReplica.currentVersion == 2)
        #expect(storedPrimary.nextRotationDate == next && storedPrimary.rotationPeriodInDays == 90)
        #expect(storedReplica.nextRotationDate == nil && storedReplica.rotationPeriodInDays == nil)
        #expect(try await repository.material(r.reference, version: 2) == material(r, version: 2))
        #expect(try await repository.material(p.reference, version: 2) == material(p, version: 2))

        // On demand: no expected date, the count raised on the primary.
        try await repository.apply([
            .rotateRelatedKeys(
                primary: p.reference, materials: materials([p, r], version: 3), expectedNextRotationDate: nil, nextRotationDate: nil,
                onDemand: true)
        ])
        #expect(try await repository.key(p.reference)?.onDemandRotations == 1)
        #expect(try await repository.key(r.reference)?.currentVersion == 3)
        // Only the primary's schedule is work.
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.key.reference) == [p.reference])
    }

    @Test(arguments: Implementation.allCases)
    func theScheduleMovesWithThePrimaryRegion(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let (p, r) = try await setUpPair(repository)
        let due = Self.date.addingTimeInterval(86400 * 90)
        try await repository.apply([.setRotation(p.reference, periodInDays: 90, nextRotationDate: due)])
        try await repository.apply([
            .rotateRelatedKeys(
                primary: p.reference, materials: materials([p, r], version: 2), expectedNextRotationDate: nil, nextRotationDate: nil,
                onDemand: true)
        ])

        // Both must be Enabled.
        var disabled = r
        disabled.keyState = .disabled
        try await repository.updateKey(disabled)
        await #expect(throws: RepositoryError.conflict) {
            try await repository.apply([.setPrimaryRegion(accountId: p.reference.accountId, keyId: Self.keyId, primaryRegion: "eu-west-1")])
        }
        try await repository.updateKey(r)
        await #expect(throws: RepositoryError.notFound) {
            try await repository.apply([.setPrimaryRegion(accountId: p.reference.accountId, keyId: Self.keyId, primaryRegion: "us-west-2")])
        }

        try await repository.apply([.setPrimaryRegion(accountId: p.reference.accountId, keyId: Self.keyId, primaryRegion: "eu-west-1")])
        let newPrimary = try #require(try await repository.key(r.reference))
        let former = try #require(try await repository.key(p.reference))
        #expect(newPrimary.primaryRegion == "eu-west-1" && former.primaryRegion == "eu-west-1")
        #expect(newPrimary.rotationPeriodInDays == 90 && newPrimary.nextRotationDate == due && newPrimary.onDemandRotations == 1)
        #expect(former.rotationPeriodInDays == nil && former.nextRotationDate == nil && former.onDemandRotations == 0)
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.key.reference) == [r.reference])
    }

    @Test(arguments: Implementation.allCases)
    func thePrimarysWaitingPeriodStartsWhenItsLastReplicaGoes(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let (p, r) = try await setUpPair(repository)
        var waiting = p
        waiting.keyState = .pendingReplicaDeletion
        waiting.pendingWindowInDays = 7
        try await repository.updateKey(waiting)
        var doomed = r
        doomed.keyState = .pendingDeletion
        doomed.deletionDate = Self.date.addingTimeInterval(86400 * 7)
        doomed.pendingWindowInDays = 7
        try await repository.updateKey(doomed)
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.key.reference) == [r.reference])

        // While a replica remains nothing starts.
        let start = Self.date.addingTimeInterval(86400 * 8)
        try await repository.apply([.beginPrimaryDeletionWindow(accountId: p.reference.accountId, keyId: Self.keyId, startingAt: start)])
        #expect(try await repository.key(p.reference) == waiting)

        try await repository.apply([
            .deleteKey(r.reference, deletionDate: doomed.deletionDate!),
            .beginPrimaryDeletionWindow(accountId: p.reference.accountId, keyId: Self.keyId, startingAt: start),
        ])
        let started = try #require(try await repository.key(p.reference))
        #expect(started.keyState == .pendingDeletion && started.deletionDate == start.addingTimeInterval(86400 * 7))
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.key.reference) == [p.reference])
        // Again, or for a key that is not waiting: nothing changes, nothing is refused.
        try await repository.apply([.beginPrimaryDeletionWindow(accountId: p.reference.accountId, keyId: Self.keyId, startingAt: Self.date)])
        #expect(try await repository.key(p.reference) == started)
        try await repository.apply([.beginPrimaryDeletionWindow(accountId: p.reference.accountId, keyId: "mrk-none", startingAt: Self.date)])
    }

    @Test(arguments: Implementation.allCases)
    func aPrimaryIsNeverDeletedBeforeItsReplicas(_ implementation: Implementation) async throws {
        let repository = try implementation.make()
        let (p, r) = try await setUpPair(repository)
        var doomed = p
        doomed.keyState = .pendingDeletion
        doomed.deletionDate = Self.date
        try await repository.updateKey(doomed)
        await #expect(throws: RepositoryError.conflict) { try await repository.apply([.deleteKey(p.reference, deletionDate: Self.date)]) }
        #expect(try await repository.key(p.reference) != nil)
        var gone = r
        gone.keyState = .pendingDeletion
        gone.deletionDate = Self.date
        try await repository.updateKey(gone)
        try await repository.apply([.deleteKey(r.reference, deletionDate: Self.date)])
        try await repository.apply([.deleteKey(p.reference, deletionDate: Self.date)])
        #expect(try await repository.multiRegionKeys(accountId: p.reference.accountId, keyId: Self.keyId).isEmpty)
    }

    @Test func theCacheSeesEveryRegionChangeAtOnce() async throws {
        let repository = try Implementation.cachedSQLite.make()
        let (p, r) = try await setUpPair(repository)
        #expect(try await repository.key(r.reference)?.currentVersion == 1)  // cached
        try await repository.apply([
            .rotateRelatedKeys(
                primary: p.reference, materials: materials([p, r], version: 2), expectedNextRotationDate: nil, nextRotationDate: nil,
                onDemand: true)
        ])
        #expect(try await repository.key(r.reference)?.currentVersion == 2)
        var waiting = try #require(try await repository.key(p.reference))
        waiting.keyState = .pendingReplicaDeletion
        waiting.pendingWindowInDays = 7
        try await repository.updateKey(waiting)
        var gone = try #require(try await repository.key(r.reference))
        gone.keyState = .pendingDeletion
        gone.deletionDate = Self.date
        try await repository.updateKey(gone)
        #expect(try await repository.key(p.reference)?.keyState == .pendingReplicaDeletion)  // cached
        try await repository.apply([
            .deleteKey(r.reference, deletionDate: Self.date),
            .beginPrimaryDeletionWindow(accountId: p.reference.accountId, keyId: Self.keyId, startingAt: Self.date),
        ])
        #expect(try await repository.key(p.reference)?.keyState == .pendingDeletion)
    }
}
