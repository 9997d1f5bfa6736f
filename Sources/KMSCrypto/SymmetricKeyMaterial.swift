import Crypto
import Foundation

/// The 256-bit material of a SYMMETRIC_DEFAULT key version, and the AES-256-GCM it drives.
///
/// Each ciphertext gets its own key and nonce, derived with HKDF-SHA256 from the material and a
/// fresh 256-bit random seed. With one key and random 96-bit nonces, AES-GCM is safe for about
/// 2^32 messages; a busy KMS key passes that in days. Per-message derivation (as AWS KMS does
/// with its derived encryption keys) removes that bound.
public struct SymmetricKeyMaterial: Sendable {
    private let key: SymmetricKey

    public init(bytes: Data) {
        self.key = SymmetricKey(data: bytes)
    }

    public static func generate() -> (material: SymmetricKeyMaterial, bytes: Data) {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return (SymmetricKeyMaterial(bytes: bytes), bytes)
    }

    public func seal(_ plaintext: Data, header: CiphertextBlob.Header, context: [String: String]?) throws -> CiphertextBlob {
        let seed = SecureRandom.bytes(CiphertextBlob.seedLength)
        let headerBytes = header.bytes
        let (messageKey, nonce) = try derive(seed: seed, header: headerBytes)
        let aad = headerBytes + EncryptionContextEncoding.canonicalBytes(context)
        let box = try AES.GCM.seal(plaintext, using: messageKey, nonce: nonce, authenticating: aad)
        return CiphertextBlob(header: header, seed: seed, ciphertext: Array(box.ciphertext), tag: Array(box.tag))
    }

    public func open(_ blob: CiphertextBlob, context: [String: String]?) throws -> Data {
        let headerBytes = blob.header.bytes
        do {
            let (messageKey, nonce) = try derive(seed: blob.seed, header: headerBytes)
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: blob.ciphertext, tag: blob.tag)
            let aad = headerBytes + EncryptionContextEncoding.canonicalBytes(context)
            return try AES.GCM.open(box, using: messageKey, authenticating: aad)
        } catch {
            throw CiphertextError.authenticationFailed
        }
    }

    private func derive(seed: [UInt8], header: [UInt8]) throws -> (SymmetricKey, AES.GCM.Nonce) {
        let okm = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: seed, info: Array("trent/symmetric-default/v1".utf8) + header,
            outputByteCount: 32 + 12)
        return try okm.withUnsafeBytes { raw in
            (SymmetricKey(data: raw[0..<32]), try AES.GCM.Nonce(data: raw[32..<44]))
        }
    }
}
