import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

/// Sealing and opening symmetric ciphertext blobs: the shared core of Encrypt, Decrypt,
/// ReEncrypt and GenerateDataKey.
extension KeyManagementService {
    struct Sealed {
        var blob: Data
        var materialId: String
    }

    struct Opened {
        var key: KeyRecord
        var plaintext: Data
        var materialId: String
    }

    /// Encrypts under the key's current version. The key must already be checked as usable.
    func sealSymmetric(_ plaintext: Data, key: KeyRecord, encryptionContext: [String: String]?) async throws -> Sealed {
        guard let material = try await symmetricMaterial(key, version: key.currentVersion) else {
            logger.error("current key material missing", metadata: ["key": "\(key.reference.arn)"])
            throw KMSError.internalFailure
        }
        let header = CiphertextBlob.Header(
            accountId: key.reference.accountId, keyId: key.reference.keyId, keyVersion: UInt32(key.currentVersion))
        let blob = try await boundary { try material.material.seal(plaintext, header: header, context: encryptionContext) }
        return Sealed(blob: Data(blob.bytes), materialId: material.materialId)
    }

    /// Decrypts a blob with the key it names. `expectedKeyId`, when given, must name that same
    /// key (`IncorrectKeyException` otherwise). Any fault in the blob, or another encryption
    /// context, is `InvalidCiphertextException`, whatever part of the blob it touched.
    func openSymmetric(
        _ data: Data, encryptionContext: [String: String]?, expectedKeyId: String?, context: OperationContext, action: String
    ) async throws -> Opened {
        let blob: CiphertextBlob
        do {
            blob = try CiphertextBlob(bytes: data)
        } catch {
            throw KMSError.invalidCiphertext
        }
        let named = KeyReference(accountId: blob.header.accountId, region: context.caller.region, keyId: blob.header.keyId)
        if let expectedKeyId {
            let expected = try await resolveKey(expectedKeyId, .keyOrAlias, context: context, action: action)
            guard expected.reference == named else { throw KMSError.incorrectKey }
        }
        guard KeyIdentifier.isKeyId(named.keyId),
            let key = try await boundary({ try await repository.key(named) })
        else {
            throw KMSError.invalidCiphertext
        }
        context.touched(named)
        if named.accountId != context.caller.accountId {
            throw KMSError.accessDenied(context.caller, action: action, resource: named.arn)
        }
        try requireUsable(key, for: .encryptDecrypt, operation: action)
        guard key.keySpec == .symmetricDefault,
            let material = try await symmetricMaterial(key, version: Int(blob.header.keyVersion))
        else {
            throw KMSError.invalidCiphertext
        }
        let plaintext = try await boundary { try material.material.open(blob, context: encryptionContext) }
        return Opened(key: key, plaintext: plaintext, materialId: material.materialId)
    }

    /// Symmetric keys take only SYMMETRIC_DEFAULT.
    func requireSymmetricAlgorithm(_ algorithm: WireValue<EncryptionAlgorithmSpec>?, key: KeyRecord) throws {
        if let algorithm, algorithm != .known(.symmetricDefault) {
            throw KMSError(
                .invalidKeyUsage,
                "The requested algorithm is not supported by the key. Supported algorithms: [SYMMETRIC_DEFAULT]")
        }
    }

    func randomBytes(_ count: Int) -> Data {
        SecureRandom.data(count)
    }
}
