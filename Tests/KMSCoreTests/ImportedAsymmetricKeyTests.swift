import Foundation
import KMSCrypto
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Imported asymmetric key material: PKCS#8 private keys of exactly the key's spec, wrapped
/// with an RSA_AES_KEY_WRAP algorithm (RSA keys need one) or RSAES-OAEP where the key fits.
/// [Requirements for imported key material](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-conceptual.html#importing-keys-material-requirements)
struct ImportedAsymmetricKeyTests {
    @Test(arguments: [
        (KeySpec.rsa2048, KeyUsage.signVerify), (.rsa3072, .encryptDecrypt), (.rsa4096, .signVerify),
        (.eccNistP256, .signVerify), (.eccNistP384, .keyAgreement), (.eccNistP521, .signVerify),
        (.eccSecgP256k1, .signVerify), (.sm2, .signVerify), (.sm2, .encryptDecrypt),
    ])
    func theImportedPrivateKeyIsTheKey(spec: KeySpec, usage: KeyUsage) async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey(spec: spec, usage: usage)
        #expect(key.keyState == .pendingImport && key.origin == .external && key.currentKeyMaterialId == nil)
        #expect(await kmsError { _ = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: key.keyId), caller: f.caller) }?.code == .invalidState)

        let original = try AsymmetricPrivateKey.generate(spec)
        let imported = try await f.importMaterial(key.keyId, try original.pkcs8DER(), spec: .rsa4096)
        #expect(imported.keyId == key.arn)
        #expect(imported.keyMaterialId == ImportedKeyMaterial.materialId(try original.storedRepresentation(), keyArn: key.arn))
        let metadata = try await f.describe(key.keyId)
        #expect(metadata.keyState == .enabled && metadata.expirationModel == .keyMaterialDoesNotExpire)
        let publicKey = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: key.keyId), caller: f.caller).publicKey
        #expect(publicKey == (try original.publicKeyDER()))

        let message = Data("imported".utf8)
        switch usage {
        case .signVerify:
            for algorithm in spec.signingAlgorithms(for: .signVerify) ?? [] {
                let signature = try await f.service.sign(
                    SignRequest(keyId: key.keyId, message: message, signingAlgorithm: algorithm), caller: f.caller
                ).signature
                #expect(try original.isValidSignature(signature, for: message, algorithm: algorithm, messageType: .raw))
                // And Trent verifies what the original signed.
                let local = try original.sign(message, algorithm: algorithm, messageType: .raw)
                #expect(
                    try await f.service.verify(
                        VerifyRequest(keyId: key.keyId, message: message, signature: local, signingAlgorithm: algorithm),
                        caller: f.caller
                    ).signatureValid)
            }
        case .encryptDecrypt:
            for algorithm in spec.encryptionAlgorithms(for: .encryptDecrypt) ?? [] {
                var request = EncryptRequest(keyId: key.keyId, plaintext: message)
                request.encryptionAlgorithm = .known(algorithm)
                let ciphertext = try await f.service.encrypt(request, caller: f.caller).ciphertextBlob
                #expect(try original.decrypt(ciphertext, algorithm: algorithm) == message)
                var decrypt = DecryptRequest(ciphertextBlob: try original.encrypt(message, algorithm: algorithm), keyId: key.keyId)
                decrypt.encryptionAlgorithm = .known(algorithm)
                #expect(try await f.service.decrypt(decrypt, caller: f.caller).plaintext == message)
            }
        case .keyAgreement:
            let peer = try AsymmetricPrivateKey.generate(spec)
            let secret = try await f.service.deriveSharedSecret(
                DeriveSharedSecretRequest(keyId: key.keyId, publicKey: try peer.publicKeyDER()), caller: f.caller
            ).sharedSecret
            #expect(secret == (try original.sharedSecret(peerPublicKeyDER: try peer.publicKeyDER())))
        default:
            Issue.record("unexpected usage \(usage)")
        }
    }

    @Test func onlyAPKCS8KeyOfExactlyTheKeysSpecIsTaken() async throws {
        let f = ServiceFixture()
        let p384 = try await f.createExternalKey(spec: .eccNistP384, usage: .signVerify)
        let rsa = try await f.createExternalKey(spec: .rsa3072, usage: .signVerify)
        func refusal(_ keyId: String, _ material: Data) async -> KMSError? {
            await kmsError { try await f.importMaterial(keyId, material) }
        }
        let p256 = try AsymmetricPrivateKey.generate(.eccNistP256)
        #expect(await refusal(p384.keyId, try p256.pkcs8DER()) == KMSError(.incorrectKeyMaterial, "The key material is not a ECC_NIST_P384 private key."))
        #expect(await refusal(p384.keyId, try AsymmetricPrivateKey.generate(.eccSecgP256k1).pkcs8DER())?.code == .incorrectKeyMaterial)
        #expect(await refusal(rsa.keyId, try AsymmetricPrivateKey.generate(.rsa2048).pkcs8DER())?.code == .incorrectKeyMaterial)
        #expect(await refusal(rsa.keyId, try AsymmetricPrivateKey.generate(.eccNistP384).pkcs8DER())?.code == .incorrectKeyMaterial)
        #expect(
            await refusal(p384.keyId, SecureRandom.data(200))
                == KMSError(.incorrectKeyMaterial, "The key material is not a private key in PKCS #8 format."))
        // Trailing bytes after the PrivateKeyInfo make it malformed.
        let good = try AsymmetricPrivateKey.generate(.eccNistP384)
        #expect(await refusal(p384.keyId, try good.pkcs8DER() + Data([0]))?.code == .incorrectKeyMaterial)
        // A SEC1 ECPrivateKey is not PKCS#8: the PrivateKeyInfo's inner OCTET STRING holds one.
        #expect(await refusal(p384.keyId, try sec1(fromPKCS8: good.pkcs8DER()))?.code == .incorrectKeyMaterial)
        #expect(try await f.describe(p384.keyId).keyState == .pendingImport)
        try await f.importMaterial(p384.keyId, try good.pkcs8DER())
        #expect(try await f.describe(p384.keyId).keyState == .enabled)
    }

    @Test func aKeyWhosePublicPointIsNotItsOwnIsRefused() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey(spec: .eccSecgP256k1, usage: .signVerify)
        var mixed = try AsymmetricPrivateKey.generate(.eccSecgP256k1).pkcs8DER()
        let other = try AsymmetricPrivateKey.generate(.eccSecgP256k1).pkcs8DER()
        #expect(mixed.count == other.count && mixed[mixed.count - 65] == 0x04)
        mixed.replaceSubrange((mixed.count - 64)..., with: other.suffix(64))
        #expect(
            await kmsError { try await f.importMaterial(key.keyId, mixed) }
                == KMSError(.incorrectKeyMaterial, "The key material is not a valid private key: its private and public parts do not match."))
    }

    @Test func wrappingAlgorithmsAreCheckedAgainstTheKeySpec() async throws {
        let f = ServiceFixture()
        func parameters(_ keyId: String, _ algorithm: AlgorithmSpec, _ spec: WrappingKeySpec) async -> KMSError? {
            await kmsError {
                _ = try await f.service.getParametersForImport(
                    GetParametersForImportRequest(keyId: keyId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec), caller: f.caller)
            }
        }
        let rsa = try await f.createExternalKey(spec: .rsa2048, usage: .encryptDecrypt)
        for algorithm in [AlgorithmSpec.rsaesOAEPSHA1, .rsaesOAEPSHA256] {
            #expect(await parameters(rsa.keyId, algorithm, .rsa4096)?.code == .validation)
        }
        #expect(await parameters(rsa.keyId, .rsaAESKeyWrapSHA1, .rsa2048) == nil)
        let p521 = try await f.createExternalKey(spec: .eccNistP521, usage: .signVerify)
        #expect(await parameters(p521.keyId, .rsaesOAEPSHA256, .rsa2048)?.code == .validation)
        #expect(await parameters(p521.keyId, .rsaesOAEPSHA1, .rsa2048)?.code == .validation)
        #expect(await parameters(p521.keyId, .rsaAESKeyWrapSHA1, .rsa2048) == nil)
        // A P-521 key fits RSAES-OAEP under an RSA_3072 wrapping key.
        let original = try AsymmetricPrivateKey.generate(.eccNistP521)
        try await f.importMaterial(p521.keyId, try original.pkcs8DER(), algorithm: .rsaesOAEPSHA256, spec: .rsa3072)
        #expect(try await f.service.getPublicKey(GetPublicKeyRequest(keyId: p521.keyId), caller: f.caller).publicKey == (try original.publicKeyDER()))
        // SM2PKE under an SM2 wrapping key carries any key.
        let sm2 = try await f.createExternalKey(spec: .sm2, usage: .signVerify)
        try await f.importMaterial(sm2.keyId, try AsymmetricPrivateKey.generate(.sm2).pkcs8DER(), algorithm: .sm2PKE, spec: .sm2)
        #expect(try await f.describe(sm2.keyId).keyState == .enabled)
    }

    @Test func aKeyTakesOneMaterialForLife() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey(spec: .eccNistP256, usage: .signVerify)
        let original = try AsymmetricPrivateKey.generate(.eccNistP256)
        let first = try await f.importMaterial(key.keyId, try original.pkcs8DER(), validTo: f.clock.now().addingTimeInterval(86400))
        #expect(try await f.describe(key.keyId).expirationModel == .keyMaterialExpires)
        let other = try AsymmetricPrivateKey.generate(.eccNistP256).pkcs8DER()
        #expect(await kmsError { try await f.importMaterial(key.keyId, other) } == KMSError.differentKeyMaterial(key.arn))

        let deleted = try await f.service.deleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest(keyId: key.keyId), caller: f.caller)
        #expect(deleted.keyMaterialId == first.keyMaterialId)
        #expect(try await f.describe(key.keyId).keyState == .pendingImport)
        #expect(await kmsError { try await f.importMaterial(key.keyId, other) } == KMSError.differentKeyMaterial(key.arn))
        // The same key again, with its expiry lifted; ImportType and KeyMaterialId are for symmetric keys only.
        #expect(await kmsError { try await f.importMaterial(key.keyId, try original.pkcs8DER(), importType: .existingKeyMaterial) }?.code == .validation)
        let again = try await f.importMaterial(key.keyId, try original.pkcs8DER())
        #expect(again.keyMaterialId == first.keyMaterialId)
        let metadata = try await f.describe(key.keyId)
        #expect(metadata.keyState == .enabled && metadata.expirationModel == .keyMaterialDoesNotExpire && metadata.validTo == nil)
        #expect(try await f.service.getPublicKey(GetPublicKeyRequest(keyId: key.keyId), caller: f.caller).publicKey == (try original.publicKeyDER()))
        #expect(
            await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller) }?
                .code == .unsupportedOperation)
    }

    @Test(arguments: [KeySpec.eccNistEdwards25519, .mlDsa65])
    func specsAWSDoesNotImportAreRefused(spec: KeySpec) async throws {
        let f = ServiceFixture()
        var request = CreateKeyRequest(keyUsage: .signVerify, keySpec: spec)
        request.origin = .known(.external)
        #expect(
            await kmsError { _ = try await f.service.createKey(request, caller: f.caller) }
                == KMSError(.unsupportedOperation, "Importing key material for \(spec.rawValue) keys is not supported."))
    }

    /// The ECPrivateKey (SEC1) inside a PKCS#8 PrivateKeyInfo: the content of its last OCTET STRING.
    private func sec1(fromPKCS8 der: Data) throws -> Data {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey, ... }
        var index = der.startIndex
        func length() -> Int {
            let first = Int(der[index])
            index += 1
            guard first & 0x80 != 0 else { return first }
            var value = 0
            for _ in 0..<(first & 0x7f) {
                value = value << 8 | Int(der[index])
                index += 1
            }
            return value
        }
        index += 1  // SEQUENCE
        _ = length()
        for _ in 0..<2 {  // version, AlgorithmIdentifier
            index += 1
            index += length()
        }
        guard der[index] == 0x04 else { throw CocoaError(.coderInvalidValue) }
        index += 1
        let count = length()
        return Data(der[index..<(index + count)])
    }
}
