import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

/// Encrypt, Decrypt and ReEncrypt for every key that encrypts: SYMMETRIC_DEFAULT blobs (see
/// SymmetricCiphertexts.swift), and RSAES-OAEP or SM2PKE ciphertexts of RSA and SM2 keys, which
/// are the algorithm's raw output as AWS returns it (anyone with the public key can make one, so
/// they cannot carry a header and Decrypt needs the KeyId).
/// [Asymmetric encryption](https://docs.aws.amazon.com/kms/latest/developerguide/asymmetric-key-specs.html#key-spec-rsa-encryption)
extension KeyManagementService {
    struct Decrypted {
        var key: KeyRecord
        var plaintext: Data
        var algorithm: EncryptionAlgorithmSpec
        var materialId: String?
    }

    /// The requested encryption algorithm (SYMMETRIC_DEFAULT when omitted), checked against the key.
    func encryptionAlgorithm(_ requested: WireValue<EncryptionAlgorithmSpec>?, key: KeyRecord) throws -> EncryptionAlgorithmSpec {
        let algorithm = requested?.value ?? .symmetricDefault
        let supported = key.keySpec.encryptionAlgorithms(for: key.keyUsage) ?? []
        guard supported.contains(algorithm) else { throw KMSError.unsupportedEncryptionAlgorithm(supported) }
        return algorithm
    }

    /// Encrypts under a usable key with an algorithm already checked by ``encryptionAlgorithm(_:key:)``.
    func seal(
        _ plaintext: Data, key: KeyRecord, algorithm: EncryptionAlgorithmSpec, encryptionContext: [String: String]?
    ) async throws -> (blob: Data, materialId: String?) {
        if algorithm == .symmetricDefault {
            let sealed = try await sealSymmetric(plaintext, key: key, encryptionContext: encryptionContext)
            return (sealed.blob, sealed.materialId)
        }
        if let encryptionContext, !encryptionContext.isEmpty { throw KMSError.encryptionContextWithAsymmetricKey }
        let (privateKey, _) = try await privateKey(key)
        let limit = privateKey.maximumPlaintextLength(algorithm)
        guard plaintext.count <= limit else {
            throw KMSError.plaintextTooLarge(algorithm, spec: key.keySpec, limit: limit)
        }
        return (try await boundary { try privateKey.encrypt(plaintext, algorithm: algorithm) }, nil)
    }

    /// Decrypt's and ReEncrypt's source side. With a KeyId naming an asymmetric key the blob is
    /// that key's raw ciphertext; otherwise it is a symmetric blob that names its own key.
    func open(
        _ blob: Data, keyId: String?, algorithm requested: WireValue<EncryptionAlgorithmSpec>?,
        encryptionContext: [String: String]?, context: OperationContext, action: String, dryRun: Bool
    ) async throws -> Decrypted {
        let expected = try await keyId.asyncMap { try await resolveKey($0, .keyOrAlias, context: context, action: action) }
        guard let key = expected, key.keySpec.isAsymmetric else {
            let opened = try await openSymmetric(
                blob, encryptionContext: encryptionContext, expectedKey: expected, context: context, action: action)
            let algorithm = try encryptionAlgorithm(requested, key: opened.key)
            if dryRun { throw KMSError.dryRunSucceeded }
            return Decrypted(key: opened.key, plaintext: opened.plaintext, algorithm: algorithm, materialId: opened.materialId)
        }
        try requireUsable(key, for: .encryptDecrypt, operation: action)
        let algorithm = try encryptionAlgorithm(requested, key: key)
        if let encryptionContext, !encryptionContext.isEmpty { throw KMSError.encryptionContextWithAsymmetricKey }
        if dryRun { throw KMSError.dryRunSucceeded }
        let (privateKey, _) = try await privateKey(key)
        if let length = privateKey.ciphertextLength, blob.count != length { throw KMSError.invalidCiphertext }
        let plaintext = try await boundary { try privateKey.decrypt(blob, algorithm: algorithm) }
        return Decrypted(key: key, plaintext: plaintext, algorithm: algorithm, materialId: nil)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
