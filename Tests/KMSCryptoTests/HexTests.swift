import Crypto
import Foundation
import KMSCrypto
import Testing

/// Lowercase hex must be what `String(format: "%02x")` writes, for every byte value, whichever
/// way the bytes arrive: contiguous, a digest's bytes, or a sequence with no contiguous storage.
struct HexTests {
    static let everyByte = (0...255).map(UInt8.init)
    static let reference = everyByte.map { String(format: "%02x", $0) }.joined()

    @Test func contiguousBytesEncodeAsFormatDoes() {
        #expect(Self.everyByte.hexString == Self.reference)
        #expect(Data(Self.everyByte).hexString == Self.reference)
        #expect(Self.everyByte.withUnsafeBytes(Hex.lowercase) == Self.reference)
    }

    @Test func aSequenceWithoutContiguousStorageEncodesTheSame() {
        #expect(Self.everyByte.lazy.map { $0 }.hexString == Self.reference)
        #expect(AnySequence(Self.everyByte).hexString == Self.reference)
    }

    @Test func nothingEncodesAsNothing() {
        #expect([UInt8]().hexString == "")
        #expect(Data().withUnsafeBytes(Hex.lowercase) == "")
    }

    @Test func aDigestEncodesAsItsKnownAnswer() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        let digest = SHA256.hash(data: Data("abc".utf8))
        #expect(digest.withUnsafeBytes(Hex.lowercase) == expected)
        #expect(digest.hexString == expected)
    }
}
