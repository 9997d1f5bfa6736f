import Crypto
import Testing

@testable import KMSSigV4

/// A cached signing key is the one SigV4 derives, for exactly its secret, day, Region and service.
struct SigningKeyCacheTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    static func bytes(_ key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test func cachedKeysAreTheDerivedOnesForEachScope() {
        let cache = SigningKeyCache(capacity: 2)
        let scopes = [
            CredentialScope(date: "20261124", region: "us-east-1", service: "kms"),
            CredentialScope(date: "20261124", region: "eu-west-1", service: "kms"),
            CredentialScope(date: "20261125", region: "us-east-1", service: "kms"),
            CredentialScope(date: "20261124", region: "us-east-1", service: "sts"),
        ]
        // Twice round, past the capacity, so keys come both freshly derived and from the cache.
        for _ in 0..<2 {
            for scope in scopes {
                let derived = SigV4Verifier.signingKey(secretAccessKey: Self.secret, scope: scope)
                #expect(Self.bytes(cache.signingKey(secretAccessKey: Self.secret, scope: scope)) == Self.bytes(derived))
                #expect(Self.bytes(cache.signingKey(secretAccessKey: Self.secret, scope: scope)) == Self.bytes(derived))
            }
        }
        let keys = Set(scopes.map { Self.bytes(cache.signingKey(secretAccessKey: Self.secret, scope: $0)) })
        #expect(keys.count == scopes.count)
        #expect(
            Self.bytes(cache.signingKey(secretAccessKey: Self.secret + "x", scope: scopes[0]))
                != Self.bytes(cache.signingKey(secretAccessKey: Self.secret, scope: scopes[0])))
    }
}
