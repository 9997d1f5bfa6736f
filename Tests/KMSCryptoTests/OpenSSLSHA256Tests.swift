import Crypto
import Foundation
import KMSCrypto
import KMSOpenSSL
import Testing

/// The stack-state SHA-256 against FIPS 180-2's examples, and against swift-crypto over inputs
/// that cross block boundaries in pieces.
struct OpenSSLSHA256Tests {
    static func digest(_ parts: [[UInt8]]) -> String {
        var hasher = OpenSSLSHA256()
        for part in parts { part.withUnsafeBytes { hasher.update($0) } }
        var digest = [UInt8](repeating: 0, count: OpenSSLSHA256.byteCount)
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        return digest.withUnsafeBytes(Hex.lowercase)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownAnswers(message: String, expected: String) {
        #expect(Self.digest([Array(message.utf8)]) == expected)
        #expect(Array(message.utf8).withUnsafeBytes { OpenSSLSHA256.hash($0, Hex.lowercase) } == expected)
    }

    @Test func piecesAcrossBlockBoundariesHashAsOne() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let expected = SHA256.hash(data: message).withUnsafeBytes(Hex.lowercase)
        for cut in [0, 1, 55, 56, 63, 64, 65, 500, 999, 1000] {
            #expect(Self.digest([Array(message[..<cut]), Array(message[cut...])]) == expected, "cut at \(cut)")
        }
    }
}
