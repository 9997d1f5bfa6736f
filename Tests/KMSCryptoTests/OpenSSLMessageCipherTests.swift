import Crypto
import Foundation
import KMSCrypto
import KMSOpenSSL
import Synchronization
import Testing

/// The libcrypto HKDF and AES-GCM behind symmetric ciphertexts: known answers, agreement with
/// swift-crypto (which sealed every blob before), and refusal of anything tampered with.
struct OpenSSLMessageCipherTests {
    /// RFC 5869, appendix A.1 (test case 1).
    @Test func hkdfKnownAnswer() throws {
        let ikm = [UInt8](repeating: 0x0b, count: 22)
        let salt: [UInt8] = Array(0x00...0x0c)
        let info: [UInt8] = Array(0xf0...0xf9)
        var okm = [UInt8](repeating: 0, count: 42)
        ikm.withUnsafeBytes { ikm in
            salt.withUnsafeBytes { salt in
                info.withUnsafeBytes { info in
                    okm.withUnsafeMutableBytes { OpenSSLMessageCipher.hkdfSHA256(key: ikm, salt: salt, info: info, into: $0) }
                }
            }
        }
        #expect(Data(okm).hexString == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    /// A blob sealed the way Trent sealed them before libcrypto (swift-crypto's HKDF and
    /// AES-GCM) still opens, and a new blob opens with swift-crypto: the format is unchanged.
    @Test func blobsAgreeWithSwiftCrypto() throws {
        let materialBytes = Data((0..<32).map { UInt8($0) })
        let material = SymmetricKeyMaterial(bytes: materialBytes)
        let header = CiphertextBlob.Header(accountId: "111122223333", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", keyVersion: 3)
        let context = ["purpose": "test", "tenant": "acme"]
        let plaintext = Data((0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) })

        func swiftCryptoKeyAndNonce(seed: [UInt8]) throws -> (SymmetricKey, AES.GCM.Nonce) {
            let okm = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: materialBytes), salt: seed,
                info: Array("trent/symmetric-default/v1".utf8) + header.bytes, outputByteCount: 44)
            return try okm.withUnsafeBytes { (SymmetricKey(data: $0[0..<32]), try AES.GCM.Nonce(data: $0[32..<44])) }
        }
        let aad = header.bytes + EncryptionContextEncoding.canonicalBytes(context)

        let seed = [UInt8](repeating: 0x5a, count: 32)
        let (key, nonce) = try swiftCryptoKeyAndNonce(seed: seed)
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        let old = CiphertextBlob(header: header, seed: seed, ciphertext: Array(box.ciphertext), tag: Array(box.tag))
        #expect(try material.open(old, context: context) == plaintext)

        let new = try material.seal(plaintext, header: header, context: context)
        let (newKey, newNonce) = try swiftCryptoKeyAndNonce(seed: new.seed)
        let sealed = try AES.GCM.SealedBox(nonce: newNonce, ciphertext: new.ciphertext, tag: new.tag)
        #expect(try AES.GCM.open(sealed, using: newKey, authenticating: aad) == plaintext)
    }

    @Test func emptyPlaintextSealsAndOpens() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let header = CiphertextBlob.Header(accountId: "111122223333", keyId: "k", keyVersion: 1)
        let blob = try material.seal(Data(), header: header, context: nil)
        #expect(blob.ciphertext.isEmpty && blob.tag.count == 16)
        #expect(try material.open(blob, context: nil) == Data())
    }

    @Test func tamperedTagOrAadIsRefused() throws {
        let key = [UInt8](repeating: 1, count: 32)
        let nonce = [UInt8](repeating: 2, count: 12)
        let message = Array("attack at dawn".utf8)
        var ciphertext = [UInt8](repeating: 0, count: message.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try key.withUnsafeBytes { key in
            try nonce.withUnsafeBytes { nonce in
                try message.withUnsafeBytes { message in
                    try ciphertext.withUnsafeMutableBytes { ciphertext in
                        try tag.withUnsafeMutableBytes { tag in
                            try OpenSSLMessageCipher.seal(
                                key: key, nonce: nonce, aad: UnsafeRawBufferPointer(start: nil, count: 0), plaintext: message,
                                ciphertext: ciphertext, tag: tag)
                        }
                    }
                }
            }
        }
        func opens(aad: [UInt8], tag: [UInt8]) throws -> Bool {
            var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
            return try key.withUnsafeBytes { key in
                try nonce.withUnsafeBytes { nonce in
                    try aad.withUnsafeBytes { aad in
                        try ciphertext.withUnsafeBytes { ciphertext in
                            try tag.withUnsafeBytes { tag in
                                try plaintext.withUnsafeMutableBytes { plaintext in
                                    try OpenSSLMessageCipher.open(key: key, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, plaintext: plaintext)
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(try opens(aad: [], tag: tag))
        #expect(try !opens(aad: [0], tag: tag))
        var flipped = tag
        flipped[0] ^= 1
        #expect(try !opens(aad: [], tag: flipped))
        #expect(try !opens(aad: [], tag: Array(tag.prefix(15))))
    }

    /// HKDF is written out over the thread's reused HMAC context: it must agree with
    /// swift-crypto's for empty, short and block-sized and longer (hashed) salts, keys and infos,
    /// and every output length up to several blocks, whatever ran on the context before.
    @Test func hkdfAgreesWithSwiftCryptoForEveryShape() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        for saltLength in [0, 1, 32, 64, 65, 100] {
            for keyLength in [0, 16, 32, 64, 80] {
                for outputLength in [1, 12, 32, 44, 64, 65, 100, 255] {
                    let (key, salt, info) = (random(keyLength), random(saltLength), random(outputLength % 40))
                    var okm = [UInt8](repeating: 0, count: outputLength)
                    key.withUnsafeBytes { key in
                        salt.withUnsafeBytes { salt in
                            info.withUnsafeBytes { info in
                                okm.withUnsafeMutableBytes {
                                    // An empty salt may come with no address at all.
                                    let salt = salt.isEmpty ? UnsafeRawBufferPointer(start: nil, count: 0) : salt
                                    OpenSSLMessageCipher.hkdfSHA256(key: key, salt: salt, info: info, into: $0)
                                }
                            }
                        }
                    }
                    let expected = HKDF<SHA256>.deriveKey(
                        inputKeyMaterial: SymmetricKey(data: key), salt: salt, info: info, outputByteCount: outputLength)
                    #expect(okm == expected.withUnsafeBytes { Array($0) }, "salt \(saltLength), key \(keyLength), output \(outputLength)")
                }
            }
        }
    }

    /// Each thread rekeys one AES-GCM context for every message: a refused open must leave
    /// nothing behind for the next seal, and threads must not share one.
    @Test func reusedContextsSealCorrectlyAfterRefusalsAndAcrossThreads() throws {
        let header = CiphertextBlob.Header(accountId: "111122223333", keyId: "k", keyVersion: 1)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let (material, _) = SymmetricKeyMaterial.generate()
            for index in 0..<300 {
                let plaintext = Data("message \(thread)-\(index)".utf8)
                let context = ["n": "\(index)"]
                do {
                    let blob = try material.seal(plaintext, header: header, context: context)
                    if index % 3 == 0 {
                        // A refused open on this thread's context, between two seals.
                        if (try? material.open(blob, context: ["n": "other"])) != nil { failures.withLock { $0 += 1 } }
                    }
                    if try material.open(blob, context: context) != plaintext { failures.withLock { $0 += 1 } }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }
}
