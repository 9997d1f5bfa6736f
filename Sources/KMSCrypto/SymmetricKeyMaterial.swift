import Crypto
import Foundation
import KMSOpenSSL

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
        let inputs = MessageInputs(header: header, context: context)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: CiphertextBlob.tagLength)
        try inputs.withParts { info, aad in
            try withMessageKey(seed: seed, info: info) { messageKey, nonce in
                try plaintext.withUnsafeBytes { plaintext in
                    try ciphertext.withUnsafeMutableBytes { ciphertext in
                        try tag.withUnsafeMutableBytes { tag in
                            try OpenSSLMessageCipher.seal(
                                key: messageKey, nonce: nonce, aad: aad, plaintext: plaintext, ciphertext: ciphertext, tag: tag)
                        }
                    }
                }
            }
        }
        return CiphertextBlob(header: header, seed: seed, ciphertext: ciphertext, tag: tag)
    }

    public func open(_ blob: CiphertextBlob, context: [String: String]?) throws -> Data {
        let inputs = MessageInputs(header: blob.header, context: context)
        var plaintext = Data(count: blob.ciphertext.count)
        let authentic: Bool
        do {
            authentic = try inputs.withParts { info, aad in
                try withMessageKey(seed: blob.seed, info: info) { messageKey, nonce in
                    try blob.ciphertext.withUnsafeBytes { ciphertext in
                        try blob.tag.withUnsafeBytes { tag in
                            try plaintext.withUnsafeMutableBytes { plaintext in
                                try OpenSSLMessageCipher.open(
                                    key: messageKey, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, plaintext: plaintext)
                            }
                        }
                    }
                }
            }
        } catch {
            authentic = false
        }
        guard authentic else {
            plaintext.withUnsafeMutableBytes { OpenSSLMessageCipher.cleanse($0) }
            throw CiphertextError.authenticationFailed
        }
        return plaintext
    }

    private static let derivationLabel = Array("trent/symmetric-default/v1".utf8)

    /// What a message's key derivation and cipher read, in one buffer: the derivation label,
    /// the blob's header, then the encryption context's canonical bytes. The derivation's info
    /// is the label and the header, the cipher's AAD the header and the context. Built as
    /// separate arrays and concatenated, they were four allocations per message.
    private struct MessageInputs {
        private var bytes: [UInt8]
        private let headerEnd: Int

        init(header: CiphertextBlob.Header, context: [String: String]?) {
            bytes = SymmetricKeyMaterial.derivationLabel
            // Room for all three at once: the label's storage is shared until then.
            header.append(to: &bytes, trailing: EncryptionContextEncoding.canonicalByteCount(context))
            headerEnd = bytes.count
            EncryptionContextEncoding.appendCanonicalBytes(context, to: &bytes)
        }

        func withParts<Result>(_ body: (_ info: UnsafeRawBufferPointer, _ aad: UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
            try bytes.withUnsafeBytes { all in
                try body(
                    UnsafeRawBufferPointer(rebasing: all[0..<headerEnd]),
                    UnsafeRawBufferPointer(rebasing: all[SymmetricKeyMaterial.derivationLabel.count...]))
            }
        }
    }

    /// The message's AES-256 key and 96-bit nonce: HKDF-SHA256 over the material, with the seed as
    /// salt and the label and blob header as info. They live on the stack only while `body` runs.
    private func withMessageKey<Result>(
        seed: [UInt8], info: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let length = OpenSSLMessageCipher.keyLength + OpenSSLMessageCipher.nonceLength
        return try withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { derived in
            defer { OpenSSLMessageCipher.cleanse(derived) }
            key.withUnsafeBytes { material in
                seed.withUnsafeBytes { salt in
                    OpenSSLMessageCipher.hkdfSHA256(key: material, salt: salt, info: info, into: derived)
                }
            }
            let keyLength = OpenSSLMessageCipher.keyLength
            return try body(
                UnsafeRawBufferPointer(rebasing: derived[0..<keyLength]), UnsafeRawBufferPointer(rebasing: derived[keyLength..<length]))
        }
    }
}
