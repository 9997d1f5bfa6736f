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

    /// Checks that `algorithm` can be used with a wrapping key of `spec` to bring in material
    /// of a key of `keySpec`, as AWS pairs them: an RSA private key is longer than any RSAES-OAEP
    /// plaintext, so it needs an RSA_AES_KEY_WRAP algorithm (or SM2PKE), and an ECC_NIST_P521
    /// key does not fit RSAES-OAEP under an RSA_2048 wrapping key.
    /// [GetParametersForImport: WrappingAlgorithm](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html#KMS-GetParametersForImport-request-WrappingAlgorithm)
    public static func check(_ algorithm: AlgorithmSpec, with spec: WrappingKeySpec, for keySpec: KeySpec) throws {
        switch (algorithm, spec) {
        case (.rsaesPKCS1V15, _):
            throw Failure.unsupported("The RSAES_PKCS1_V1_5 wrapping algorithm is deprecated and not supported.")
        case (.rsaesOAEPSHA1, .rsa2048), (.rsaesOAEPSHA1, .rsa3072), (.rsaesOAEPSHA1, .rsa4096),
            (.rsaesOAEPSHA256, .rsa2048), (.rsaesOAEPSHA256, .rsa3072), (.rsaesOAEPSHA256, .rsa4096):
            switch keySpec {
            case .rsa2048, .rsa3072, .rsa4096:
                throw Failure.unsupported(
                    "The wrapping algorithm \(algorithm.rawValue) cannot wrap \(keySpec.rawValue) key material. "
                        + "Use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.")
            case .eccNistP521 where spec == .rsa2048:
                throw Failure.unsupported(
                    "The wrapping algorithm \(algorithm.rawValue) with wrapping key spec RSA_2048 cannot wrap "
                        + "ECC_NIST_P521 key material. Use a larger wrapping key spec or an RSA_AES_KEY_WRAP algorithm.")
            default: return
            }
        case (.rsaAESKeyWrapSHA1, .rsa2048), (.rsaAESKeyWrapSHA1, .rsa3072), (.rsaAESKeyWrapSHA1, .rsa4096),
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
