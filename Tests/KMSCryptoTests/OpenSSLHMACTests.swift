import Crypto
import Foundation
import KMSOpenSSL
import Testing

/// The request path's HMAC-SHA-256 (SigV4's signature, the HKDF of every ciphertext), written
/// over libcrypto's SHA-256: RFC 4231's known answers, and agreement with swift-crypto's HMAC
/// for keys around the block size and messages split anywhere.
struct OpenSSLHMACTests {
    private func hmac(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        precondition(parts.count <= 3)
        let padded = parts + Array(repeating: [], count: 3 - parts.count)
        var output = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { key in
            padded[0].withUnsafeBytes { first in
                padded[1].withUnsafeBytes { second in
                    padded[2].withUnsafeBytes { third in
                        output.withUnsafeMutableBytes { OpenSSLHMAC.sha256(key: key, first, second, third, into: $0) }
                    }
                }
            }
        }
        return output
    }

    /// RFC 4231, test cases 1, 2 and 6 (a key longer than a block).
    @Test func knownAnswers() {
        #expect(
            Data(hmac(key: Array(repeating: 0x0b, count: 20), Array("Hi There".utf8))).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            Data(hmac(key: Array("Jefe".utf8), Array("what do ya want ".utf8), Array("for nothing?".utf8))).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            Data(hmac(key: Array(repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                .hexString == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test(arguments: [0, 1, 31, 32, 63, 64, 65, 200])
    func agreesWithSwiftCrypto(keyLength: Int) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in [0, 1, 55, 56, 63, 64, 65, 300] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
            #expect(hmac(key: key, message) == expected)
            // The same message in three parts, split unevenly.
            let cut1 = length / 3, cut2 = length - length / 5
            #expect(hmac(key: key, Array(message[..<cut1]), Array(message[cut1..<cut2]), Array(message[cut2...])) == expected)
        }
    }

    /// HKDF's expansion writes each block over the previous one, which is also its input.
    @Test func outputMayBeTheFirstPart() {
        let key = [UInt8](repeating: 7, count: 32)
        var block = (0..<32).map { UInt8($0) }
        let expected = Array(HMAC<SHA256>.authenticationCode(for: block + [1], using: SymmetricKey(data: key)))
        key.withUnsafeBytes { key in
            [UInt8(1)].withUnsafeBytes { counter in
                block.withUnsafeMutableBytes { block in
                    OpenSSLHMAC.sha256(key: key, UnsafeRawBufferPointer(block), counter, into: block)
                }
            }
        }
        #expect(block == expected)
    }
}
