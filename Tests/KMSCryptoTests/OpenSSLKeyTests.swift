import Foundation
import KMSCrypto
import KMSOpenSSL
import Testing

/// The OpenSSL wrapper on its own: key formats, and the algorithms swift-crypto lacks.
struct OpenSSLKeyTests {
    @Test func sm2KeyAgreementIsSymmetric() throws {
        let a = try OpenSSLKey.generate(curve: .sm2)
        let b = try OpenSSLKey.generate(curve: .sm2)
        let ab = try a.sharedSecret(with: OpenSSLKey(subjectPublicKeyInfo: b.subjectPublicKeyInfoDER()))
        let ba = try b.sharedSecret(with: OpenSSLKey(subjectPublicKeyInfo: a.subjectPublicKeyInfoDER()))
        #expect(ab == ba)
        #expect(ab.count == 32)
    }

    @Test func secp256k1KeyAgreementIsSymmetric() throws {
        let a = try OpenSSLKey.generate(curve: .secp256k1)
        let b = try OpenSSLKey.generate(curve: .secp256k1)
        #expect(try a.sharedSecret(with: b) == b.sharedSecret(with: a))
    }

    @Test func pkcs8RoundTripKeepsTheKey() throws {
        for key in [try OpenSSLKey.generate(curve: .sm2), try OpenSSLKey.generate(curve: .secp256k1), try OpenSSLKey.generateRSA(bits: 2048)] {
            let parsed = try OpenSSLKey(pkcs8: key.pkcs8DER())
            #expect(try parsed.subjectPublicKeyInfoDER() == key.subjectPublicKeyInfoDER())
            #expect(parsed.isA("SM2") == key.isA("SM2"))
        }
    }

    @Test func malformedPublicKeysAreRefused() throws {
        #expect(throws: OpenSSLError.self) { try OpenSSLKey(subjectPublicKeyInfo: Data([0x30, 0x03, 0x02, 0x01, 0x01])) }
        let good = try OpenSSLKey.generate(curve: .secp256k1).subjectPublicKeyInfoDER()
        #expect(throws: OpenSSLError.self) { try OpenSSLKey(subjectPublicKeyInfo: good + [0x00]) }
    }

    @Test func rsaSignaturesAndOAEPRoundTrip() throws {
        let key = try OpenSSLKey.generateRSA(bits: 2048)
        let digest = try OpenSSLDigest.sha256.hash(Data("m".utf8))
        for scheme in [OpenSSLKey.SignatureScheme.rsaPSS(.sha256), .rsaPKCS1(.sha256)] {
            let signature = try key.sign(digest: digest, scheme: scheme)
            #expect(signature.count == 256)
            #expect(key.isValidSignature(signature, digest: digest, scheme: scheme))
            #expect(!key.isValidSignature(signature, digest: Data(digest.reversed()), scheme: scheme))
        }
        for digest in [OpenSSLDigest.sha1, .sha256] {
            let ciphertext = try key.encrypt(Data("secret".utf8), scheme: .rsaOAEP(digest))
            #expect(try key.decrypt(ciphertext, scheme: .rsaOAEP(digest)) == Data("secret".utf8))
        }
    }

    @Test func sm2SignAndEncryptRoundTrip() throws {
        let key = try OpenSSLKey.generate(curve: .sm2)
        let id = Data("1234567812345678".utf8)
        let signature = try key.signSM2(message: Data("m".utf8), distinguishingID: id)
        #expect(key.isValidSM2Signature(signature, message: Data("m".utf8), distinguishingID: id))
        #expect(!key.isValidSM2Signature(signature, message: Data("n".utf8), distinguishingID: id))
        #expect(!key.isValidSM2Signature(signature, message: Data("m".utf8), distinguishingID: Data("other".utf8)))
        let ciphertext = try key.encrypt(Data("sm2".utf8), scheme: .sm2)
        #expect(try key.decrypt(ciphertext, scheme: .sm2) == Data("sm2".utf8))
    }

    /// GB/T 32905 (SM3) example 1: SM3("abc").
    @Test func sm3KnownAnswer() throws {
        #expect(try OpenSSLDigest.sm3.hash(Data("abc".utf8)).hexString
            == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }
}
