import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Multi-Region keys: mrk- ids, replicas with the primary's material, ciphertexts crossing Regions,
/// and moving the primary Region. Over the in-memory store and SQLite.
struct MultiRegionKeyTests {
    static func fixture(sqlite: Bool) throws -> ServiceFixture {
        guard sqlite else { return ServiceFixture() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-mrk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return ServiceFixture(repository: CachingKeyRepository(try SQLiteKeyRepository(path: folder.appendingPathComponent("t.sqlite").path)))
    }

    @Test(arguments: [false, true]) func replicaDecryptsWhatThePrimaryEncrypted(sqlite: Bool) async throws {
        let f = try Self.fixture(sqlite: sqlite)
        let east = f.caller
        let west = f.caller(account: "111122223333", region: "eu-west-1")
        var create = CreateKeyRequest(description: "primary")
        create.multiRegion = true
        let primary = try await f.service.createKey(create, caller: east).keyMetadata
        #expect(primary.keyId.hasPrefix("mrk-") && primary.keyId.count == 36)
        #expect(primary.keyId.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) })
        #expect(primary.multiRegion)
        #expect(primary.multiRegionConfiguration?.multiRegionKeyType == "PRIMARY")
        #expect(primary.multiRegionConfiguration?.primaryKey == MultiRegionKey(arn: primary.arn, region: "us-east-1"))
        #expect(primary.multiRegionConfiguration?.replicaKeys == [])

        // A rotated primary: the replica gets every version.
        _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: east)
        let v2 = try await f.encrypt(primary.keyId, "version two")

        let replica = try await f.service.replicateKey(
            ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1", description: "replica"), caller: east
        ).replicaKeyMetadata
        #expect(replica.keyId == primary.keyId)
        #expect(replica.arn == "arn:aws:kms:eu-west-1:111122223333:key/\(primary.keyId)")
        #expect(replica.description == "replica")
        #expect(replica.multiRegionConfiguration?.multiRegionKeyType == "REPLICA")
        #expect(replica.currentKeyMaterialId == primary.currentKeyMaterialId || replica.currentKeyMaterialId != nil)

        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: east).keyMetadata
        #expect(described.description == "primary")
        #expect(described.multiRegionConfiguration?.replicaKeys == [MultiRegionKey(arn: replica.arn, region: "eu-west-1")])
        let describedReplica = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: west).keyMetadata
        #expect(describedReplica.multiRegionConfiguration?.multiRegionKeyType == "REPLICA")
        #expect(describedReplica.multiRegionConfiguration?.primaryKey?.region == "us-east-1")
        #expect(describedReplica.currentKeyMaterialId == described.currentKeyMaterialId)

        // East to west, and west to east.
        #expect(try await f.decrypt(v2, as: west) == "version two")
        let fromWest = try await f.service.encrypt(
            EncryptRequest(keyId: primary.keyId, plaintext: Data("from west".utf8)), caller: west
        ).ciphertextBlob
        #expect(try await f.decrypt(fromWest, as: east) == "from west")

        // A second replica into the same Region is refused; so is replicating a replica.
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1"), caller: east)
            }?.code == .alreadyExists)
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "ap-south-1"), caller: west)
            }?.code == .unsupportedOperation)

        // The primary moves to eu-west-1.
        _ = try await f.service.updatePrimaryRegion(UpdatePrimaryRegionRequest(keyId: primary.keyId, primaryRegion: "eu-west-1"), caller: east)
        let moved = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: west).keyMetadata
        #expect(moved.multiRegionConfiguration?.multiRegionKeyType == "PRIMARY")
        #expect(moved.multiRegionConfiguration?.replicaKeys.map(\.region) == ["us-east-1"])
        #expect(
            await kmsError {
                _ = try await f.service.updatePrimaryRegion(UpdatePrimaryRegionRequest(keyId: primary.keyId, primaryRegion: "eu-west-1"), caller: east)
            }?.code == .unsupportedOperation)
    }

    @Test func singleRegionAndAsymmetricKeys() async throws {
        let f = ServiceFixture()
        let plain = try await f.createKey()
        #expect(!plain.multiRegion && plain.multiRegionConfiguration == nil)
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: plain.keyId, replicaRegion: "eu-west-1"), caller: f.caller)
            }?.code == .unsupportedOperation)
        var rsa = CreateKeyRequest(keyUsage: .signVerify, keySpec: .rsa2048)
        rsa.multiRegion = true
        #expect(await kmsError { _ = try await f.service.createKey(rsa, caller: f.caller) }?.code == .unsupportedOperation)
    }
}
