import Foundation
import KMSCrypto
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

    @Test func singleRegionAndImportedKeys() async throws {
        let f = ServiceFixture()
        let plain = try await f.createKey()
        #expect(!plain.multiRegion && plain.multiRegionConfiguration == nil)
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: plain.keyId, replicaRegion: "eu-west-1"), caller: f.caller)
            }?.code == .unsupportedOperation)
    }

    /// GetParametersForImport and ImportKeyMaterial in the caller's Region.
    @discardableResult
    static func importMaterial(
        _ f: ServiceFixture, _ keyId: String, _ material: Data, as caller: Caller, importType: ImportType? = nil
    ) async throws -> ImportKeyMaterialResponse {
        let parameters = try await f.service.getParametersForImport(
            GetParametersForImportRequest(keyId: keyId, wrappingAlgorithm: .rsaesOAEPSHA256, wrappingKeySpec: .rsa2048), caller: caller)
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: .rsaesOAEPSHA256)
        return try await f.service.importKeyMaterial(
            ImportKeyMaterialRequest(
                keyId: keyId, importToken: parameters.importToken, encryptedKeyMaterial: wrapped,
                expirationModel: .keyMaterialDoesNotExpire, importType: importType),
            caller: caller)
    }

    /// Imported material is multi-Region as in AWS: the replica starts PendingImport (nothing is
    /// copied), takes only the primary's material (same KeyMaterialId), and each Region's
    /// material is deleted independently. Rotation to new imported material is refused.
    @Test(arguments: [false, true]) func importedMaterialIsImportedIntoEachRegion(sqlite: Bool) async throws {
        let f = try Self.fixture(sqlite: sqlite)
        let east = f.caller
        let west = f.caller(account: "111122223333", region: "eu-west-1")
        var create = CreateKeyRequest()
        create.origin = .known(.external)
        create.multiRegion = true
        let primary = try await f.service.createKey(create, caller: east).keyMetadata
        #expect(primary.keyState == .pendingImport && primary.keyId.hasPrefix("mrk-"))
        #expect(primary.multiRegionConfiguration?.multiRegionKeyType == "PRIMARY")
        // Replicating waits for the primary's material (it must be Enabled or Disabled).
        #expect(
            await kmsError {
                _ = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1"), caller: east)
            }?.code == .invalidState)

        let material = SecureRandom.data(32)
        let first = try await Self.importMaterial(f, primary.keyId, material, as: east)
        let replica = try await f.service.replicateKey(
            ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1"), caller: east
        ).replicaKeyMetadata
        #expect(replica.keyState == .pendingImport && replica.origin == .external && replica.currentKeyMaterialId == nil)
        let replicaReference = KeyReference(accountId: "111122223333", region: "eu-west-1", keyId: primary.keyId)
        #expect(try await f.repository.material(replicaReference, version: 1) == nil)
        #expect(await kmsError { _ = try await f.service.encrypt(EncryptRequest(keyId: primary.keyId, plaintext: Data("x".utf8)), caller: west) }?.code == .invalidState)

        // Other material is refused; the primary's is taken, with the same KeyMaterialId.
        #expect(await kmsError { try await Self.importMaterial(f, primary.keyId, SecureRandom.data(32), as: west) }?.code == .incorrectKeyMaterial)
        #expect(
            await kmsError {
                try await Self.importMaterial(f, primary.keyId, SecureRandom.data(32), as: west, importType: .existingKeyMaterial)
            }?.code == .incorrectKeyMaterial)
        let second = try await Self.importMaterial(f, primary.keyId, material, as: west, importType: .existingKeyMaterial)
        #expect(second.keyMaterialId == first.keyMaterialId)
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: west).keyMetadata
        #expect(described.keyState == .enabled && described.currentKeyMaterialId == first.keyMaterialId)

        let blob = try await f.encrypt(primary.keyId, "from east")
        #expect(try await f.decrypt(blob, as: west) == "from east")
        let fromWest = try await f.service.encrypt(EncryptRequest(keyId: primary.keyId, plaintext: Data("from west".utf8)), caller: west).ciphertextBlob
        #expect(try await f.decrypt(fromWest, as: east) == "from west")

        // Deleting the primary's material leaves the replica usable.
        _ = try await f.service.deleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest(keyId: primary.keyId), caller: east)
        #expect(try await f.service.describeKey(DescribeKeyRequest(keyId: primary.keyId), caller: east).keyMetadata.keyState == .pendingImport)
        #expect(try await f.decrypt(blob, as: west) == "from east")
        try await Self.importMaterial(f, primary.keyId, material, as: east)
        #expect(try await f.decrypt(fromWest, as: east) == "from west")

        // New imported material (rotation) is not implemented for multi-Region keys.
        #expect(
            await kmsError { try await Self.importMaterial(f, primary.keyId, SecureRandom.data(32), as: east, importType: .newKeyMaterial) }
                == KMSError.multiRegionImportedRotation(primary.arn))
        #expect(
            await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: primary.keyId), caller: east) }
                == KMSError.multiRegionImportedRotation(primary.arn))
    }

    /// Asymmetric and HMAC keys are multi-Region too: the replica holds the same key pair or
    /// HMAC key, so a public key, a signature, a ciphertext or a MAC made in one Region holds in
    /// another.
    @Test(arguments: [
        (KeySpec.rsa2048, KeyUsage.signVerify), (.rsa3072, .encryptDecrypt), (.eccNistP256, .signVerify),
        (.eccNistP384, .keyAgreement), (.eccSecgP256k1, .signVerify), (.eccNistEdwards25519, .signVerify),
        (.sm2, .signVerify), (.mlDsa65, .signVerify), (.hmac256, .generateVerifyMac), (.hmac512, .generateVerifyMac),
    ])
    func everyKeySpecCanBeMultiRegion(spec: KeySpec, usage: KeyUsage) async throws {
        let f = ServiceFixture()
        let east = f.caller
        let west = f.caller(account: "111122223333", region: "eu-west-1")
        var create = CreateKeyRequest(keyUsage: usage, keySpec: spec)
        create.multiRegion = true
        let primary = try await f.service.createKey(create, caller: east).keyMetadata
        #expect(primary.keyId.hasPrefix("mrk-") && primary.multiRegionConfiguration?.multiRegionKeyType == "PRIMARY")
        let replica = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1"), caller: east)
            .replicaKeyMetadata
        #expect(replica.keySpec == spec && replica.keyUsage == usage && replica.currentKeyMaterialId == nil)
        #expect(replica.signingAlgorithms == primary.signingAlgorithms && replica.macAlgorithms == primary.macAlgorithms)

        let message = Data("made in us-east-1".utf8)
        switch usage {
        case .generateVerifyMac:
            let algorithm = try #require(primary.macAlgorithms?.first)
            let mac = try await f.service.generateMac(GenerateMacRequest(keyId: primary.keyId, message: message, macAlgorithm: algorithm), caller: east).mac
            let verified = try await f.service.verifyMac(
                VerifyMacRequest(keyId: primary.keyId, message: message, macAlgorithm: algorithm, mac: mac), caller: west)
            #expect(verified.macValid && verified.keyId == replica.arn)
            let westMac = try await f.service.generateMac(GenerateMacRequest(keyId: primary.keyId, message: message, macAlgorithm: algorithm), caller: west).mac
            #expect(westMac == mac)
        default:
            let eastPublic = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: primary.keyId), caller: east).publicKey
            let westPublic = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: primary.keyId), caller: west).publicKey
            #expect(eastPublic == westPublic)
            if usage == .signVerify {
                let algorithm = try #require(primary.signingAlgorithms?.first)
                let signed = try await f.service.sign(SignRequest(keyId: primary.keyId, message: message, signingAlgorithm: algorithm), caller: east)
                let verified = try await f.service.verify(
                    VerifyRequest(keyId: primary.keyId, message: message, signature: signed.signature, signingAlgorithm: algorithm), caller: west)
                #expect(verified.signatureValid && verified.keyId == replica.arn)
            }
            if usage == .encryptDecrypt {
                var encrypt = EncryptRequest(keyId: primary.keyId, plaintext: message)
                encrypt.encryptionAlgorithm = .known(.rsaesOaepSha256)
                let blob = try await f.service.encrypt(encrypt, caller: west).ciphertextBlob
                var decrypt = DecryptRequest(ciphertextBlob: blob, keyId: primary.keyId)
                decrypt.encryptionAlgorithm = .known(.rsaesOaepSha256)
                #expect(try await f.service.decrypt(decrypt, caller: east).plaintext == message)
            }
        }
    }
}
