import Crypto
import Foundation
import KMSCrypto
import KMSModel
import Testing

struct AsymmetricPrivateKeyTests {
    static let signingSpecs: [KeySpec] = [
        .rsa2048, .eccNistP256, .eccNistP384, .eccNistP521, .eccSecgP256k1, .eccNistEdwards25519, .mlDsa65, .mlDsa87, .sm2,
    ]

    /// RFC 8032 §7.1 test 2, through the PKCS#8 form Trent stores.
    @Test func ed25519KnownAnswer() throws {
        let pkcs8 = try #require(Data(hex: "302e020100300506032b6570042204204ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
        let key = try AsymmetricPrivateKey(spec: .eccNistEdwards25519, storedRepresentation: pkcs8)
        let signature = try key.sign(Data([0x72]), algorithm: .ed25519Sha512, messageType: .raw)
        #expect(signature.hexString == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(try key.publicKeyDER().hexString.hasSuffix("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
    }

    /// RFC 8032 §7.3 (Ed25519ph, message "abc") through the stored PKCS#8 form; Trent's DIGEST
    /// input is Ed25519ph's message, which it prehashes itself, as AWS does.
    @Test func ed25519phKnownAnswer() throws {
        let pkcs8 = try #require(Data(hex: "302e020100300506032b657004220420833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"))
        let key = try AsymmetricPrivateKey(spec: .eccNistEdwards25519, storedRepresentation: pkcs8)
        let signature = try key.sign(Data("abc".utf8), algorithm: .ed25519PhSha512, messageType: .digest)
        #expect(signature.hexString == "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
            + "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406")
        #expect(try key.isValidSignature(signature, for: Data("abc".utf8), algorithm: .ed25519PhSha512, messageType: .digest))
        #expect(try !key.isValidSignature(signature, for: Data("abd".utf8), algorithm: .ed25519PhSha512, messageType: .digest))
    }

    /// The SubjectPublicKeyInfo of an ML-DSA key made from a fixed seed, as Python's
    /// `cryptography` 48 (OpenSSL 3.5's ML-DSA) encodes it: SHA-256 of the whole DER.
    @Test(arguments: [
        (KeySpec.mlDsa65, "b8b62131bfbe84433efb2273d7f5b87f7a22854a2cfd366fc2aead86d837c52d", 1974),
        (KeySpec.mlDsa87, "07e57c4f14dbad1267f621ec3777b4e2e6c4fbc4c22fbb87510ff8e0b3c6a642", 2614),
    ])
    func mlDsaPublicKeyMatchesAnIndependentImplementation(_ spec: KeySpec, _ digest: String, _ length: Int) throws {
        let key = try AsymmetricPrivateKey(spec: spec, storedRepresentation: Data(0..<32))
        let der = try key.publicKeyDER()
        #expect(der.count == length)
        #expect(Data(SHA256.hash(data: der)).hexString == digest)
    }

    @Test(arguments: signingSpecs)
    func signVerifyAndStoredRoundTrip(_ spec: KeySpec) throws {
        let key = try AsymmetricPrivateKey.generate(spec)
        let reloaded = try AsymmetricPrivateKey(spec: spec, storedRepresentation: key.storedRepresentation())
        #expect(try reloaded.publicKeyDER() == key.publicKeyDER())
        let message = Data("message".utf8)
        for algorithm in spec.signingAlgorithms(for: .signVerify)! {
            let type: MessageType = algorithm == .ed25519PhSha512 ? .digest : .raw
            let signature = try key.sign(message, algorithm: algorithm, messageType: type)
            #expect(try reloaded.isValidSignature(signature, for: message, algorithm: algorithm, messageType: type))
            #expect(try !reloaded.isValidSignature(signature, for: Data("other".utf8), algorithm: algorithm, messageType: type))
            #expect(try !reloaded.isValidSignature(Data([1, 2, 3]), for: message, algorithm: algorithm, messageType: type))
        }
    }

    /// A DIGEST signature equals a RAW one over the message the digest came from.
    @Test func digestAndRawSignaturesAgree() throws {
        let key = try AsymmetricPrivateKey.generate(.eccNistP384)
        let message = Data("message".utf8)
        let digest = Data(SHA384.hash(data: message))
        let signature = try key.sign(digest, algorithm: .ecdsaSha384, messageType: .digest)
        #expect(try key.isValidSignature(signature, for: message, algorithm: .ecdsaSha384, messageType: .raw))
    }

    @Test func unavailableAlgorithmsAreRefusedNotFaked() throws {
        #expect(throws: AsymmetricKeyError.unavailable("ML-DSA-44")) { try AsymmetricPrivateKey.generate(.mlDsa44) }
    }

    @Test func rsaPlaintextLimitsFollowRFC8017() throws {
        let key = try AsymmetricPrivateKey.generate(.rsa2048)
        #expect(key.maximumPlaintextLength(.rsaesOaepSha1) == 214)
        #expect(key.maximumPlaintextLength(.rsaesOaepSha256) == 190)
        let ciphertext = try key.encrypt(Data(count: 190), algorithm: .rsaesOaepSha256)
        #expect(try key.decrypt(ciphertext, algorithm: .rsaesOaepSha256) == Data(count: 190))
        #expect(throws: AsymmetricKeyError.decryptionFailed) { try key.decrypt(ciphertext, algorithm: .rsaesOaepSha1) }
    }

    @Test(arguments: [KeySpec.eccNistP256, .eccNistP384, .eccNistP521, .sm2])
    func ecdhIsSymmetric(_ spec: KeySpec) throws {
        let a = try AsymmetricPrivateKey.generate(spec)
        let b = try AsymmetricPrivateKey.generate(spec)
        #expect(try a.sharedSecret(peerPublicKeyDER: b.publicKeyDER()) == b.sharedSecret(peerPublicKeyDER: a.publicKeyDER()))
    }

    @Test func ecdhRefusesMalformedAndOtherCurveKeys() throws {
        let key = try AsymmetricPrivateKey.generate(.eccNistP256)
        let other = try AsymmetricPrivateKey.generate(.eccNistP384)
        #expect(throws: AsymmetricKeyError.invalidPublicKey) { try key.sharedSecret(peerPublicKeyDER: Data([0x30, 0x00])) }
        #expect(throws: AsymmetricKeyError.invalidPublicKey) { try key.sharedSecret(peerPublicKeyDER: other.publicKeyDER()) }
        let sm2 = try AsymmetricPrivateKey.generate(.sm2)
        let k1 = try AsymmetricPrivateKey.generate(.eccSecgP256k1)
        #expect(throws: AsymmetricKeyError.invalidPublicKey) { try sm2.sharedSecret(peerPublicKeyDER: k1.publicKeyDER()) }
    }
}
