import Foundation
import Testing

@testable import KMSCrypto

struct CiphertextBlobTests {
    let header = CiphertextBlob.Header(
        accountId: "111122223333", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", keyVersion: 3)

    @Test func sealedBlobOpensWithTheSameContextInAnyOrder() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let blob = try material.seal(Data("hello".utf8), header: header, context: ["a": "1", "b": "2", "c": "3"])
        let parsed = try CiphertextBlob(bytes: blob.bytes)
        #expect(parsed == blob)
        #expect(parsed.header == header)
        #expect(try material.open(parsed, context: ["c": "3", "a": "1", "b": "2"]) == Data("hello".utf8))
    }

    @Test func emptyAndMissingContextAreTheSame() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let blob = try material.seal(Data("x".utf8), header: header, context: nil)
        #expect(try material.open(blob, context: [:]) == Data("x".utf8))
    }

    @Test func anyOtherContextFails() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let blob = try material.seal(Data("x".utf8), header: header, context: ["a": "1"])
        for other: [String: String]? in [nil, ["a": "2"], ["A": "1"], ["a": "1", "b": ""], ["a1": ""]] {
            #expect(throws: CiphertextError.authenticationFailed) { try material.open(blob, context: other) }
        }
    }

    /// The exact bytes authenticated with every blob: blobs sealed by any earlier version must
    /// still open. Pairs are sorted by the keys' UTF-8 bytes, each part prefixed with its length.
    @Test func contextEncodingKnownAnswer() {
        let bytes = EncryptionContextEncoding.canonicalBytes(["b": "2", "\u{E9}t\u{E9}": "x", "Z": "", "a": "10"])
        let expected: [UInt8] =
            [0, 0, 0, 4]
            + [0, 0, 0, 1, 0x5A, 0, 0, 0, 0]
            + [0, 0, 0, 1, 0x61, 0, 0, 0, 2, 0x31, 0x30]
            + [0, 0, 0, 1, 0x62, 0, 0, 0, 1, 0x32]
            + [0, 0, 0, 5, 0xC3, 0xA9, 0x74, 0xC3, 0xA9, 0, 0, 0, 1, 0x78]
        #expect(bytes == expected)
        #expect(EncryptionContextEncoding.canonicalBytes(nil) == [0, 0, 0, 0])
    }

    @Test func contextEncodingIsUnambiguous() {
        // Concatenation would make these equal; length prefixes keep them apart.
        #expect(EncryptionContextEncoding.canonicalBytes(["ab": "c"]) != EncryptionContextEncoding.canonicalBytes(["a": "bc"]))
        #expect(EncryptionContextEncoding.canonicalBytes(nil) == EncryptionContextEncoding.canonicalBytes([:]))
    }

    @Test func everyFlippedBitIsDetected() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let bytes = try material.seal(Data("secret".utf8), header: header, context: ["k": "v"]).bytes
        for index in bytes.indices {
            for bit in 0..<8 {
                var tampered = bytes
                tampered[index] ^= 1 << bit
                let opened: Data? = try? material.open(try CiphertextBlob(bytes: tampered), context: ["k": "v"])
                #expect(opened == nil, "bit \(bit) of byte \(index) went unnoticed")
            }
        }
    }

    @Test func otherKeyMaterialFails() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let (other, _) = SymmetricKeyMaterial.generate()
        let blob = try material.seal(Data("x".utf8), header: header, context: nil)
        #expect(throws: CiphertextError.authenticationFailed) { try other.open(blob, context: nil) }
    }

    @Test func truncatedAndGarbageBlobsAreMalformedNotCrashes() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let bytes = try material.seal(Data("x".utf8), header: header, context: nil).bytes
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            let opened: Data? = try? material.open(try CiphertextBlob(bytes: prefix), context: nil)
            #expect(opened == nil)
        }
        #expect(throws: CiphertextError.malformed) { try CiphertextBlob(bytes: [UInt8](repeating: 0xFF, count: 200)) }
        #expect(throws: CiphertextError.malformed) { try CiphertextBlob(bytes: [UInt8]()) }
    }

    @Test func twoEncryptionsOfTheSamePlaintextDiffer() throws {
        let (material, _) = SymmetricKeyMaterial.generate()
        let a = try material.seal(Data("same".utf8), header: header, context: nil)
        let b = try material.seal(Data("same".utf8), header: header, context: nil)
        #expect(a.bytes != b.bytes)
    }
}
