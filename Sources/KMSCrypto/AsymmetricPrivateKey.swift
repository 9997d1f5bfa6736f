import Crypto
import Foundation
import KMSModel
import KMSOpenSSL
import KMSSodium
import _CryptoExtras

/// The private key of an asymmetric KMS key or data key pair, parsed once and kept in memory.
///
/// Which library does what (see docs/design.md):
/// - swift-crypto: ECDSA and ECDH on P-256/P-384/P-521, Ed25519, ML-DSA-65/87.
/// - libsodium (`KMSSodium`): Ed25519ph, which the other two lack.
/// - OpenSSL 3 (`KMSOpenSSL`): RSA (swift-crypto's RSA signs only digests of its own types, never
///   a caller's DIGEST), secp256k1 ECDSA, SM2 (SM2DSA, SM2PKE, ECDH).
///
/// At rest (always wrapped under the root key) a key is its DER PKCS#8 PrivateKeyInfo, except
/// ML-DSA, which is its 32-byte FIPS 204 seed ξ: see ``storedRepresentation``.
public struct AsymmetricPrivateKey: Sendable {
    public let spec: KeySpec
    private let backend: Backend

    private enum Backend: Sendable {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
        case mlDsa65(MLDSA65.PrivateKey)
        case mlDsa87(MLDSA87.PrivateKey)
        case openSSL(OpenSSLKey)
    }

    /// SM2DSA's distinguishing ID when the message is RAW: the GB/T 32918 default, which AWS uses.
    /// [Offline verification with SM2 key pairs](https://docs.aws.amazon.com/kms/latest/developerguide/offline-operations.html#key-spec-sm-offline-verification)
    public static let sm2DistinguishingID = Data("1234567812345678".utf8)

    private init(spec: KeySpec, backend: Backend) {
        self.spec = spec
        self.backend = backend
    }

    /// A new random key of `spec`.
    public static func generate(_ spec: KeySpec) throws -> AsymmetricPrivateKey {
        let backend: Backend
        switch spec {
        case .rsa2048: backend = .openSSL(try OpenSSLKey.generateRSA(bits: 2048))
        case .rsa3072: backend = .openSSL(try OpenSSLKey.generateRSA(bits: 3072))
        case .rsa4096: backend = .openSSL(try OpenSSLKey.generateRSA(bits: 4096))
        case .eccNistP256: backend = .p256(P256.Signing.PrivateKey())
        case .eccNistP384: backend = .p384(P384.Signing.PrivateKey())
        case .eccNistP521: backend = .p521(P521.Signing.PrivateKey())
        case .eccSecgP256k1: backend = .openSSL(try OpenSSLKey.generate(curve: .secp256k1))
        case .sm2: backend = .openSSL(try OpenSSLKey.generate(curve: .sm2))
        case .eccNistEdwards25519: backend = .ed25519(Curve25519.Signing.PrivateKey())
        case .mlDsa65: backend = .mlDsa65(try MLDSA65.PrivateKey())
        case .mlDsa87: backend = .mlDsa87(try MLDSA87.PrivateKey())
        case .mlDsa44:
            throw AsymmetricKeyError.unavailable("ML-DSA-44")
        case .symmetricDefault, .hmac224, .hmac256, .hmac384, .hmac512:
            preconditionFailure("\(spec.rawValue) is not an asymmetric key spec")
        }
        return AsymmetricPrivateKey(spec: spec, backend: backend)
    }

    /// Parses what ``storedRepresentation`` produced.
    public init(spec: KeySpec, storedRepresentation bytes: Data) throws {
        self.spec = spec
        switch spec {
        case .eccNistP256: backend = .p256(try P256.Signing.PrivateKey(derRepresentation: bytes))
        case .eccNistP384: backend = .p384(try P384.Signing.PrivateKey(derRepresentation: bytes))
        case .eccNistP521: backend = .p521(try P521.Signing.PrivateKey(derRepresentation: bytes))
        case .eccNistEdwards25519: backend = .ed25519(try Curve25519.Signing.PrivateKey(derRepresentation: bytes))
        case .mlDsa65: backend = .mlDsa65(try MLDSA65.PrivateKey(seedRepresentation: bytes, publicKey: nil))
        case .mlDsa87: backend = .mlDsa87(try MLDSA87.PrivateKey(seedRepresentation: bytes, publicKey: nil))
        case .rsa2048, .rsa3072, .rsa4096, .eccSecgP256k1, .sm2: backend = .openSSL(try OpenSSLKey(pkcs8: bytes))
        case .mlDsa44: throw AsymmetricKeyError.unavailable("ML-DSA-44")
        case .symmetricDefault, .hmac224, .hmac256, .hmac384, .hmac512:
            preconditionFailure("\(spec.rawValue) is not an asymmetric key spec")
        }
    }

    /// The bytes Trent wraps under the root key: PKCS#8 DER, or the ML-DSA seed.
    public func storedRepresentation() throws -> Data {
        switch backend {
        case .mlDsa65(let key): key.seedRepresentation
        case .mlDsa87(let key): key.seedRepresentation
        default: try pkcs8DER()
        }
    }

    /// DER PKCS#8 PrivateKeyInfo (RFC 5958), as GenerateDataKeyPair returns it.
    public func pkcs8DER() throws -> Data {
        switch backend {
        case .p256(let key): key.derRepresentation
        case .p384(let key): key.derRepresentation
        case .p521(let key): key.derRepresentation
        case .ed25519(let key): key.derRepresentation
        case .openSSL(let key): try key.pkcs8DER()
        case .mlDsa65, .mlDsa87: throw AsymmetricKeyError.unavailable("PKCS#8 for ML-DSA")
        }
    }

    /// DER SubjectPublicKeyInfo (RFC 5280), as GetPublicKey returns it.
    public func publicKeyDER() throws -> Data {
        switch backend {
        case .p256(let key): key.publicKey.derRepresentation
        case .p384(let key): key.publicKey.derRepresentation
        case .p521(let key): key.publicKey.derRepresentation
        case .ed25519(let key): key.publicKey.derRepresentation
        case .mlDsa65(let key): MLDSAPublicKeyInfo.der(spec: spec, rawPublicKey: key.publicKey.rawRepresentation)
        case .mlDsa87(let key): MLDSAPublicKeyInfo.der(spec: spec, rawPublicKey: key.publicKey.rawRepresentation)
        case .openSSL(let key): try key.subjectPublicKeyInfoDER()
        }
    }

    // MARK: Sign and Verify

    /// Signs a message (RAW) or a digest of the algorithm's length (DIGEST). Core has already
    /// checked that the algorithm belongs to the spec and that the message type and length fit.
    public func sign(_ message: Data, algorithm: SigningAlgorithmSpec, messageType: MessageType) throws -> Data {
        switch backend {
        case .p256(let key): return try key.signature(for: PrecomputedSHA256Digest(bytes: digest(message, algorithm, messageType))).derRepresentation
        case .p384(let key): return try key.signature(for: PrecomputedSHA384Digest(bytes: digest(message, algorithm, messageType))).derRepresentation
        case .p521(let key): return try key.signature(for: PrecomputedSHA512Digest(bytes: digest(message, algorithm, messageType))).derRepresentation
        case .ed25519(let key):
            // ED25519_PH_SHA_512 takes a SHA-512 digest and still prehashes it (AWS: "the input is
            // hashed twice"), so the digest is Ed25519ph's message.
            guard algorithm == .ed25519Sha512 else { return try Ed25519ph.signature(for: message, seed: key.rawRepresentation) }
            return try key.signature(for: message)
        case .mlDsa65(let key):
            guard messageType == .raw else { throw AsymmetricKeyError.unavailable("ML-DSA external mu") }
            return try key.signature(for: message)
        case .mlDsa87(let key):
            guard messageType == .raw else { throw AsymmetricKeyError.unavailable("ML-DSA external mu") }
            return try key.signature(for: message)
        case .openSSL(let key):
            if algorithm == .sm2dsa, messageType == .raw {
                return try key.signSM2(message: message, distinguishingID: Self.sm2DistinguishingID)
            }
            return try key.sign(digest: Data(try digest(message, algorithm, messageType)), scheme: Self.scheme(algorithm))
        }
    }

    /// Whether `signature` is valid; a malformed signature is simply invalid.
    public func isValidSignature(_ signature: Data, for message: Data, algorithm: SigningAlgorithmSpec, messageType: MessageType) throws -> Bool {
        switch backend {
        case .p256(let key):
            guard let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.publicKey.isValidSignature(sig, for: PrecomputedSHA256Digest(bytes: try digest(message, algorithm, messageType)))
        case .p384(let key):
            guard let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.publicKey.isValidSignature(sig, for: PrecomputedSHA384Digest(bytes: try digest(message, algorithm, messageType)))
        case .p521(let key):
            guard let sig = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.publicKey.isValidSignature(sig, for: PrecomputedSHA512Digest(bytes: try digest(message, algorithm, messageType)))
        case .ed25519(let key):
            guard algorithm == .ed25519Sha512 else {
                return Ed25519ph.isValidSignature(signature, for: message, publicKey: key.publicKey.rawRepresentation)
            }
            return key.publicKey.isValidSignature(signature, for: message)
        case .mlDsa65(let key):
            guard messageType == .raw else { throw AsymmetricKeyError.unavailable("ML-DSA external mu") }
            return key.publicKey.isValidSignature(signature, for: message)
        case .mlDsa87(let key):
            guard messageType == .raw else { throw AsymmetricKeyError.unavailable("ML-DSA external mu") }
            return key.publicKey.isValidSignature(signature, for: message)
        case .openSSL(let key):
            if algorithm == .sm2dsa, messageType == .raw {
                return key.isValidSM2Signature(signature, message: message, distinguishingID: Self.sm2DistinguishingID)
            }
            return key.isValidSignature(signature, digest: Data(try digest(message, algorithm, messageType)), scheme: Self.scheme(algorithm))
        }
    }

    /// The bytes that get signed: the message's hash for RAW, the message itself for DIGEST.
    private func digest(_ message: Data, _ algorithm: SigningAlgorithmSpec, _ messageType: MessageType) throws -> [UInt8] {
        guard messageType == .raw else { return Array(message) }
        switch algorithm {
        case .rsassaPssSha256, .rsassaPkcs1V15Sha256, .ecdsaSha256: return Array(SHA256.hash(data: message))
        case .rsassaPssSha384, .rsassaPkcs1V15Sha384, .ecdsaSha384: return Array(SHA384.hash(data: message))
        case .rsassaPssSha512, .rsassaPkcs1V15Sha512, .ecdsaSha512: return Array(SHA512.hash(data: message))
        case .sm2dsa, .mlDsaShake256, .ed25519Sha512, .ed25519PhSha512:
            preconditionFailure("\(algorithm.rawValue) hashes inside its own signing step")
        }
    }

    private static func scheme(_ algorithm: SigningAlgorithmSpec) -> OpenSSLKey.SignatureScheme {
        switch algorithm {
        case .rsassaPssSha256: .rsaPSS(.sha256)
        case .rsassaPssSha384: .rsaPSS(.sha384)
        case .rsassaPssSha512: .rsaPSS(.sha512)
        case .rsassaPkcs1V15Sha256: .rsaPKCS1(.sha256)
        case .rsassaPkcs1V15Sha384: .rsaPKCS1(.sha384)
        case .rsassaPkcs1V15Sha512: .rsaPKCS1(.sha512)
        case .ecdsaSha256, .ecdsaSha384, .ecdsaSha512: .ecdsa
        case .sm2dsa: .sm2
        case .mlDsaShake256, .ed25519Sha512, .ed25519PhSha512:
            preconditionFailure("\(algorithm.rawValue) is not an OpenSSL signature scheme here")
        }
    }

    // MARK: Encrypt and Decrypt

    /// The largest plaintext the key encrypts with `algorithm`: k − 2·hLen − 2 bytes for OAEP
    /// (RFC 8017 §7.1.1), and 1024 bytes for SM2PKE, as AWS documents.
    public func maximumPlaintextLength(_ algorithm: EncryptionAlgorithmSpec) -> Int {
        switch (backend, algorithm) {
        case (.openSSL(let key), .rsaesOaepSha1): key.maximumOutputSize - 2 * 20 - 2
        case (.openSSL(let key), .rsaesOaepSha256): key.maximumOutputSize - 2 * 32 - 2
        case (_, .sm2pke): 1024
        default: 0
        }
    }

    /// The exact ciphertext length the key produces (RSA), or nil where it varies (SM2).
    public var ciphertextLength: Int? {
        if case .openSSL(let key) = backend, key.isA("RSA") { return key.maximumOutputSize }
        return nil
    }

    public func encrypt(_ plaintext: Data, algorithm: EncryptionAlgorithmSpec) throws -> Data {
        guard case .openSSL(let key) = backend else { throw AsymmetricKeyError.unavailable(algorithm.rawValue) }
        return try key.encrypt(plaintext, scheme: try Self.scheme(algorithm))
    }

    public func decrypt(_ ciphertext: Data, algorithm: EncryptionAlgorithmSpec) throws -> Data {
        guard case .openSSL(let key) = backend else { throw AsymmetricKeyError.unavailable(algorithm.rawValue) }
        do {
            return try key.decrypt(ciphertext, scheme: try Self.scheme(algorithm))
        } catch is OpenSSLError {
            throw AsymmetricKeyError.decryptionFailed
        }
    }

    private static func scheme(_ algorithm: EncryptionAlgorithmSpec) throws -> OpenSSLKey.EncryptionScheme {
        switch algorithm {
        case .rsaesOaepSha1: .rsaOAEP(.sha1)
        case .rsaesOaepSha256: .rsaOAEP(.sha256)
        case .sm2pke: .sm2
        case .symmetricDefault: throw AsymmetricKeyError.unavailable(algorithm.rawValue)
        }
    }

    // MARK: Key agreement

    /// Plain ECDH with the peer's DER SubjectPublicKeyInfo: the shared point's x-coordinate.
    public func sharedSecret(peerPublicKeyDER peer: Data) throws -> Data {
        do {
            switch backend {
            case .p256(let key):
                let agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation)
                let peerKey = try P256.KeyAgreement.PublicKey(derRepresentation: peer)
                return try agreement.sharedSecretFromKeyAgreement(with: peerKey).withUnsafeBytes { Data($0) }
            case .p384(let key):
                let agreement = try P384.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation)
                let peerKey = try P384.KeyAgreement.PublicKey(derRepresentation: peer)
                return try agreement.sharedSecretFromKeyAgreement(with: peerKey).withUnsafeBytes { Data($0) }
            case .p521(let key):
                let agreement = try P521.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation)
                let peerKey = try P521.KeyAgreement.PublicKey(derRepresentation: peer)
                return try agreement.sharedSecretFromKeyAgreement(with: peerKey).withUnsafeBytes { Data($0) }
            case .openSSL(let key):
                let peerKey = try OpenSSLKey(subjectPublicKeyInfo: peer)
                guard peerKey.isA("SM2") == key.isA("SM2"), peerKey.bits == key.bits else {
                    throw AsymmetricKeyError.invalidPublicKey
                }
                return try key.sharedSecret(with: peerKey)
            case .ed25519, .mlDsa65, .mlDsa87:
                throw AsymmetricKeyError.unavailable("ECDH on \(spec.rawValue)")
            }
        } catch let error as AsymmetricKeyError {
            throw error
        } catch {
            throw AsymmetricKeyError.invalidPublicKey
        }
    }
}
