import Foundation
import KMSCrypto
import KMSModel
import Testing

/// RFC 4231 test case 2 for every MAC algorithm AWS offers, SHA-224 (OpenSSL) included.
struct HMACKeyMaterialTests {
    static let key = Data("Jefe".utf8)
    static let message = Data("what do ya want for nothing?".utf8)
    static let expected: [MacAlgorithmSpec: String] = [
        .hmacSha224: "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
        .hmacSha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        .hmacSha384: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
        .hmacSha512: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    ]

    @Test(arguments: MacAlgorithmSpec.allCases)
    func rfc4231KnownAnswer(_ algorithm: MacAlgorithmSpec) throws {
        let material = HMACKeyMaterial(bytes: Self.key)
        let mac = try material.authenticationCode(for: Self.message, algorithm: algorithm)
        #expect(mac.hexString == Self.expected[algorithm])
        #expect(try material.isValid(mac, for: Self.message, algorithm: algorithm))
        var tampered = mac
        tampered[0] ^= 1
        #expect(try !material.isValid(tampered, for: Self.message, algorithm: algorithm))
        #expect(try !material.isValid(mac.dropLast(), for: Self.message, algorithm: algorithm))
    }

    @Test func generatedKeysHaveTheSpecsLength() throws {
        for (spec, bytes) in [(KeySpec.hmac224, 28), (.hmac256, 32), (.hmac384, 48), (.hmac512, 64)] {
            let (_, stored) = try KeyMaterial.generate(for: spec)
            #expect(stored.count == bytes)
        }
    }
}
