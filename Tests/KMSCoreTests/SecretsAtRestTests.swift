import Foundation
import KMSCrypto
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// No key material, data key or secret may reach the disk in plaintext.
struct SecretsAtRestTests {
    @Test func sqliteFilesHoldNoPlaintextMaterialDataKeysOrSecrets() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let repository = try SQLiteKeyRepository(path: folder.appendingPathComponent("trent.sqlite").path)
        let f = ServiceFixture(repository: repository)

        let admin = try #require(try await f.service.bootstrapAdministrator())
        var secrets: [Data] = [Data(admin.secretAccessKey.utf8)]
        for _ in 0..<3 {
            let key = try await f.createKey()
            let reference = KeyReference(accountId: key.awsAccountId, region: "us-east-1", keyId: key.keyId)
            let record = try #require(try await repository.material(reference, version: 1))
            let material = try f.rootKey.unwrap(
                record.wrappedMaterial,
                for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: 1))
            #expect(material.count == 32)
            secrets.append(material)
            let dataKey = try await f.service.generateDataKey(GenerateDataKeyRequest(keyId: key.keyId, keySpec: .aes256), caller: f.caller)
            secrets.append(dataKey.plaintext)
        }

        // Asymmetric and HMAC keys: the PKCS#8 key, the ML-DSA seed, the HMAC key, a data key pair's private key.
        for (spec, usage) in [(KeySpec.eccNistP256, KeyUsage.signVerify), (.rsa2048, .encryptDecrypt), (.sm2, .keyAgreement),
                              (.mlDsa65, .signVerify), (.eccNistEdwards25519, .signVerify), (.hmac224, .generateVerifyMac)] {
            let key = try await f.service.createKey(CreateKeyRequest(keyUsage: usage, keySpec: spec), caller: f.caller).keyMetadata
            let reference = KeyReference(accountId: key.awsAccountId, region: "us-east-1", keyId: key.keyId)
            let record = try #require(try await repository.material(reference, version: 1))
            let material = try f.rootKey.unwrap(
                record.wrappedMaterial,
                for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: 1))
            #expect(record.wrappedMaterial.range(of: material) == nil)
            secrets.append(material)
        }
        let symmetric = try await f.createKey()
        let pair = try await f.service.generateDataKeyPair(
            GenerateDataKeyPairRequest(keyId: symmetric.keyId, keyPairSpec: .eccNistP256), caller: f.caller)
        secrets.append(pair.privateKeyPlaintext)

        var stored = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            stored.append(try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        #expect(stored.count > 0)
        for secret in secrets {
            #expect(stored.range(of: secret) == nil, "a secret of \(secret.count) bytes is stored in plaintext")
        }
    }

    @Test func bootstrapMakesOneAdministratorWhoseSecretResolves() async throws {
        let f = ServiceFixture()
        let admin = try #require(try await f.service.bootstrapAdministrator())
        #expect(try await f.service.bootstrapAdministrator() == nil)
        #expect(admin.accessKeyId.hasPrefix("AKIA") && admin.accessKeyId.count == 20)
        #expect(admin.secretAccessKey.count == 40)
        #expect(admin.accountId.count == 12)
        let resolved = try #require(try await f.service.credential(accessKeyId: admin.accessKeyId))
        #expect(resolved.secretAccessKey == admin.secretAccessKey)
        #expect(resolved.principalArn == "arn:aws:iam::\(admin.accountId):root")
        #expect(try await f.service.credential(accessKeyId: "AKIANOSUCHKEY0000000") == nil)
    }
}
