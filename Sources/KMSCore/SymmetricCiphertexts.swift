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
        let cached = try await currentMaterial(key)
        guard case .symmetric(let material) = cached.material else { throw KMSError.internalFailure }
        let header = CiphertextBlob.Header(
            accountId: key.reference.accountId, keyId: key.reference.keyId, keyVersion: UInt32(key.currentVersion))
        let blob = try await boundary { try material.seal(plaintext, header: header, context: encryptionContext) }
        return Sealed(blob: Data(blob.bytes), materialId: cached.materialId)
    }

    /// Decrypts a blob with the key it names. `expectedKey`, when the request named one, must be
    /// that same key (`IncorrectKeyException` otherwise). Any fault in the blob, or another encryption
    /// context, is `InvalidCiphertextException`, whatever part of the blob it touched.
    func openSymmetric(
        _ data: Data, encryptionContext: [String: String]?, expectedKey: KeyRecord?, context: OperationContext, action: String
    ) async throws -> Opened {
        let blob: CiphertextBlob
        do {
            blob = try CiphertextBlob(bytes: data)
        } catch {
            throw KMSError.invalidCiphertext
        }
        let named = KeyReference(accountId: blob.header.accountId, region: context.caller.region, keyId: blob.header.keyId)
        if let expectedKey {
            guard expectedKey.reference == named else { throw KMSError.incorrectKey }
        }
        guard KeyIdentifier.isKeyId(named.keyId),
            let key = try await boundary({ try await repository.key(named) })
        else {
            throw KMSError.invalidCiphertext
        }
        context.touched(named)
        try await authorize(key, action: action, context: context)
        try requireUsable(key, for: .encryptDecrypt, operation: action)
        guard key.keySpec == .symmetricDefault,
            let cached = try await keyMaterial(key, version: Int(blob.header.keyVersion)),
            case .symmetric(let material) = cached.material
        else {
            throw KMSError.invalidCiphertext
        }
        let plaintext = try await boundary { try material.open(blob, context: encryptionContext) }
        return Opened(key: key, plaintext: plaintext, materialId: cached.materialId)
    }

    func randomBytes(_ count: Int) -> Data {
        SecureRandom.data(count)
    }
}
