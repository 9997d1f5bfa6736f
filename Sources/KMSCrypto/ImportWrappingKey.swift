import Crypto
import Foundation
import KMSModel
import KMSOpenSSL

/// The key pair GetParametersForImport hands out, whose public half wraps key material on its
/// way in. [Wrapping algorithms](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-get-public-key-and-token.html)
public struct ImportWrappingKey: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// The encrypted key material does not open under this key and algorithm.
        case unwrapFailed
        /// The algorithm is not one this key spec can serve (or one Trent refuses).
        case unsupported(String)
    }

    let key: OpenSSLKey

    init(key: OpenSSLKey) { self.key = key }

    /// A fresh key pair of `spec`.
    public static func generate(_ spec: WrappingKeySpec) throws -> ImportWrappingKey {
        switch spec {
        case .rsa2048: ImportWrappingKey(key: try .generateRSA(bits: 2048))
        case .rsa3072: ImportWrappingKey(key: try .generateRSA(bits: 3072))
        case .rsa4096: ImportWrappingKey(key: try .generateRSA(bits: 4096))
        case .sm2: ImportWrappingKey(key: try .generate(curve: .sm2))
        }
    }

    /// Checks that `algorithm` can be used with a wrapping key of `spec`, as AWS pairs them.
    public static func check(_ algorithm: AlgorithmSpec, with spec: WrappingKeySpec) throws {
        switch (algorithm, spec) {
        case (.rsaesPKCS1V15, _):
            throw Failure.unsupported("The RSAES_PKCS1_V1_5 wrapping algorithm is deprecated and not supported.")
        case (.rsaesOAEPSHA1, .rsa2048), (.rsaesOAEPSHA1, .rsa3072), (.rsaesOAEPSHA1, .rsa4096),
            (.rsaesOAEPSHA256, .rsa2048), (.rsaesOAEPSHA256, .rsa3072), (.rsaesOAEPSHA256, .rsa4096),
            (.rsaAESKeyWrapSHA1, .rsa2048), (.rsaAESKeyWrapSHA1, .rsa3072), (.rsaAESKeyWrapSHA1, .rsa4096),
            (.rsaAESKeyWrapSHA256, .rsa2048), (.rsaAESKeyWrapSHA256, .rsa3072), (.rsaAESKeyWrapSHA256, .rsa4096),
            (.sm2PKE, .sm2):
            return
        default:
            throw Failure.unsupported(
                "The wrapping algorithm \(algorithm.rawValue) cannot be used with wrapping key spec \(spec.rawValue).")
        }
    }

    /// Parses the stored form, DER PKCS#8.
    public init(pkcs8 der: Data) throws {
        key = try OpenSSLKey(pkcs8: der)
    }

    public func pkcs8DER() throws -> Data { try key.pkcs8DER() }

    /// DER SubjectPublicKeyInfo, GetParametersForImport's PublicKey.
    public func publicKeyDER() throws -> Data { try key.subjectPublicKeyInfoDER() }

    /// Opens EncryptedKeyMaterial. RSA_AES_KEY_WRAP input is the RSA-OAEP encryption of an
    /// ephemeral AES key (one modulus long) followed by the material wrapped under that AES key
    /// with AES key wrap with padding (RFC 5649).
    public func unwrap(_ encrypted: Data, algorithm: AlgorithmSpec) throws -> Data {
        do {
            switch algorithm {
            case .rsaesOAEPSHA1: return try key.decrypt(encrypted, scheme: .rsaOAEP(.sha1))
            case .rsaesOAEPSHA256: return try key.decrypt(encrypted, scheme: .rsaOAEP(.sha256))
            case .rsaAESKeyWrapSHA1, .rsaAESKeyWrapSHA256:
                let split = key.maximumOutputSize
                guard encrypted.count > split else { throw Failure.unwrapFailed }
                let digest: OpenSSLDigest = algorithm == .rsaAESKeyWrapSHA1 ? .sha1 : .sha256
                let aesKey = try key.decrypt(Data(encrypted.prefix(split)), scheme: .rsaOAEP(digest))
                return try OpenSSLKeyWrap.unwrapWithPadding(Data(encrypted.dropFirst(split)), kek: aesKey)
            case .sm2PKE: return try key.decrypt(encrypted, scheme: .sm2)
            case .rsaesPKCS1V15: throw Failure.unsupported(algorithm.rawValue)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.unwrapFailed
        }
    }

    /// What a client does before ImportKeyMaterial (tests, and tools that import into Trent).
    public static func wrap(_ material: Data, publicKey der: Data, algorithm: AlgorithmSpec) throws -> Data {
        let key = try OpenSSLKey(subjectPublicKeyInfo: der)
        switch algorithm {
        case .rsaesOAEPSHA1: return try key.encrypt(material, scheme: .rsaOAEP(.sha1))
        case .rsaesOAEPSHA256: return try key.encrypt(material, scheme: .rsaOAEP(.sha256))
        case .rsaAESKeyWrapSHA1, .rsaAESKeyWrapSHA256:
            let aesKey = SecureRandom.data(32)
            let digest: OpenSSLDigest = algorithm == .rsaAESKeyWrapSHA1 ? .sha1 : .sha256
            return try key.encrypt(aesKey, scheme: .rsaOAEP(digest)) + OpenSSLKeyWrap.wrapWithPadding(material, kek: aesKey)
        case .sm2PKE: return try key.encrypt(material, scheme: .sm2)
        case .rsaesPKCS1V15: throw Failure.unsupported(algorithm.rawValue)
        }
    }
}

/// Imported symmetric and HMAC key material and its KeyMaterialId.
public enum ImportedKeyMaterial {
    /// The lengths AWS accepts of imported material, by key spec (nil: not importable here).
    /// [Key material requirements](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-conceptual.html)
    public static func acceptedByteCounts(for spec: KeySpec) -> ClosedRange<Int>? {
        switch spec {
        case .symmetricDefault: 32...32
        case .hmac224: 28...64
        case .hmac256: 32...64
        case .hmac384: 48...128
        case .hmac512: 64...128
        default: nil
        }
    }

    /// The KeyMaterialId of `material` imported into the key `keyArn`: HMAC-SHA256 keyed by the
    /// material over the key's ARN, so it depends on both (as AWS's does), reveals nothing of
    /// the material, and lets a re-import be recognized after the material itself is destroyed.
    public static func materialId(_ material: Data, keyArn: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("trent/imported-key-material-id/v1/\(keyArn)".utf8), using: SymmetricKey(data: material))
        return Data(mac).hexString
    }
}
