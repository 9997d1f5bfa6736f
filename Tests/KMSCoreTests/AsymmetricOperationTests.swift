import Crypto
import Foundation
import KMSCrypto
import KMSModel
import Testing

@testable import KMSCore

/// Sign/Verify, GetPublicKey, MACs, ECDH and asymmetric encryption through the service, with
/// AWS's errors for every wrong input.
struct AsymmetricOperationTests {
    func create(_ f: ServiceFixture, _ spec: KeySpec, _ usage: KeyUsage) async throws -> KeyMetadata {
        try await f.service.createKey(CreateKeyRequest(keyUsage: usage, keySpec: spec), caller: f.caller).keyMetadata
    }

    @Test func metadataListsTheSpecsAlgorithms() async throws {
        let f = ServiceFixture()
        let rsaEncrypt = try await create(f, .rsa4096, .encryptDecrypt)
        #expect(rsaEncrypt.encryptionAlgorithms == [.rsaesOaepSha1, .rsaesOaepSha256] && rsaEncrypt.signingAlgorithms == nil)
        let rsaSign = try await create(f, .rsa2048, .signVerify)
        #expect(rsaSign.signingAlgorithms?.count == 6 && rsaSign.encryptionAlgorithms == nil)
        let sm2 = try await create(f, .sm2, .encryptDecrypt)
        #expect(sm2.encryptionAlgorithms == [.sm2pke])
        let agreement = try await create(f, .eccNistP521, .keyAgreement)
        #expect(agreement.keyAgreementAlgorithms == [.ecdh] && agreement.signingAlgorithms == nil)
        let hmac = try await create(f, .hmac512, .generateVerifyMac)
        #expect(hmac.macAlgorithms == [.hmacSha512] && hmac.encryptionAlgorithms == nil)
        let ed = try await create(f, .eccNistEdwards25519, .signVerify)
        #expect(ed.signingAlgorithms == [.ed25519Sha512, .ed25519PhSha512])
        #expect(ed.customerMasterKeySpec == nil)
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: rsaSign.keyId), caller: f.caller).keyMetadata
        #expect(described == rsaSign)
    }

    @Test func signVerifyAndTheirErrors() async throws {
        let f = ServiceFixture()
        let key = try await create(f, .eccNistP256, .signVerify)
        let message = Data("m".utf8)
        let signed = try await f.service.sign(SignRequest(keyId: key.keyId, message: message, signingAlgorithm: .ecdsaSha256), caller: f.caller)
        let verified = try await f.service.verify(
            VerifyRequest(keyId: key.keyId, message: message, signature: signed.signature, signingAlgorithm: .ecdsaSha256), caller: f.caller)
        #expect(verified.signatureValid)
        // swift-crypto's own verifier over the public key GetPublicKey returns.
        let der = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: key.keyId), caller: f.caller).publicKey
        let publicKey = try P256.Signing.PublicKey(derRepresentation: der)
        #expect(publicKey.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: signed.signature), for: message))

        let bad = await kmsError {
            _ = try await f.service.verify(
                VerifyRequest(keyId: key.keyId, message: Data("n".utf8), signature: signed.signature, signingAlgorithm: .ecdsaSha256),
                caller: f.caller)
        }
        #expect(bad == KMSError(.kmsInvalidSignature, ""))
        let wrongAlgorithm = await kmsError {
            _ = try await f.service.sign(SignRequest(keyId: key.keyId, message: message, signingAlgorithm: .ecdsaSha512), caller: f.caller)
        }
        #expect(wrongAlgorithm == KMSError(.invalidKeyUsage, "Algorithm ECDSA_SHA_512 is incompatible with key spec ECC_NIST_P256."))
        let shortDigest = await kmsError {
            _ = try await f.service.sign(
                SignRequest(keyId: key.keyId, message: Data(count: 20), signingAlgorithm: .ecdsaSha256, messageType: .digest), caller: f.caller)
        }
        #expect(shortDigest == KMSError(.validation, "Digest is invalid length for algorithm ECDSA_SHA_256."))
        let symmetric = try await f.createKey()
        let wrongUsage = await kmsError {
            _ = try await f.service.sign(SignRequest(keyId: symmetric.keyId, message: message, signingAlgorithm: .ecdsaSha256), caller: f.caller)
        }
        #expect(wrongUsage?.code == .invalidKeyUsage)
        let noPublicKey = await kmsError { _ = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: symmetric.keyId), caller: f.caller) }
        #expect(noPublicKey?.code == .unsupportedOperation)
    }

    @Test func macsVerifyAndMismatchIsAnException() async throws {
        let f = ServiceFixture()
        let key = try await create(f, .hmac224, .generateVerifyMac)
        let message = Data("m".utf8)
        let mac = try await f.service.generateMac(GenerateMacRequest(keyId: key.keyId, message: message, macAlgorithm: .hmacSha224), caller: f.caller).mac
        #expect(mac.count == 28)
        #expect(try await f.service.verifyMac(
            VerifyMacRequest(keyId: key.keyId, message: message, macAlgorithm: .hmacSha224, mac: mac), caller: f.caller).macValid)
        let mismatch = await kmsError {
            _ = try await f.service.verifyMac(
                VerifyMacRequest(keyId: key.keyId, message: Data("n".utf8), macAlgorithm: .hmacSha224, mac: mac), caller: f.caller)
        }
        #expect(mismatch == KMSError(.kmsInvalidMac, ""))
        let wrongAlgorithm = await kmsError {
            _ = try await f.service.generateMac(GenerateMacRequest(keyId: key.keyId, message: message, macAlgorithm: .hmacSha256), caller: f.caller)
        }
        #expect(wrongAlgorithm == KMSError(.invalidKeyUsage, "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."))
    }

    @Test func rsaEncryptionLimitAndRoundTrip() async throws {
        let f = ServiceFixture()
        let key = try await create(f, .rsa2048, .encryptDecrypt)
        var request = EncryptRequest(keyId: key.keyId, plaintext: Data(count: 191))
        request.encryptionAlgorithm = .known(.rsaesOaepSha256)
        let tooLarge = await kmsError { _ = try await f.service.encrypt(request, caller: f.caller) }
        #expect(tooLarge == KMSError(.validation, "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes."))
        request.plaintext = Data(count: 190)
        let blob = try await f.service.encrypt(request, caller: f.caller).ciphertextBlob
        var decrypt = DecryptRequest(ciphertextBlob: blob, keyId: key.keyId)
        decrypt.encryptionAlgorithm = .known(.rsaesOaepSha256)
        let opened = try await f.service.decrypt(decrypt, caller: f.caller)
        #expect(opened.plaintext == Data(count: 190) && opened.encryptionAlgorithm == .rsaesOaepSha256 && opened.keyMaterialId == nil)
        decrypt.encryptionAlgorithm = nil
        let defaultAlgorithm = await kmsError { _ = try await f.service.decrypt(decrypt, caller: f.caller) }
        #expect(defaultAlgorithm?.code == .invalidKeyUsage)
    }

    @Test func ecdhAgreesWithSwiftCrypto() async throws {
        let f = ServiceFixture()
        let key = try await create(f, .eccNistP384, .keyAgreement)
        let peer = P384.KeyAgreement.PrivateKey()
        let secret = try await f.service.deriveSharedSecret(
            DeriveSharedSecretRequest(keyId: key.keyId, publicKey: peer.publicKey.derRepresentation), caller: f.caller).sharedSecret
        let der = try await f.service.getPublicKey(GetPublicKeyRequest(keyId: key.keyId), caller: f.caller).publicKey
        let expected = try peer.sharedSecretFromKeyAgreement(with: P384.KeyAgreement.PublicKey(derRepresentation: der))
        #expect(secret == expected.withUnsafeBytes { Data($0) })
        let malformed = await kmsError {
            _ = try await f.service.deriveSharedSecret(DeriveSharedSecretRequest(keyId: key.keyId, publicKey: Data([1, 2, 3])), caller: f.caller)
        }
        #expect(malformed?.code == .validation)
    }

    @Test func mlDsa44IsRefusedAtCreation() async throws {
        let f = ServiceFixture()
        let refused = await kmsError { _ = try await create(f, .mlDsa44, .signVerify) }
        #expect(refused?.code == .unsupportedOperation)
    }
}
