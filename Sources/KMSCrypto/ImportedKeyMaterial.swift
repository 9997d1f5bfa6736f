import Crypto
import Foundation
import KMSModel
import KMSOpenSSL

/// Key material a customer imports (BYOK): which key specs take it, what it must look like,
/// what Trent stores of it, and its KeyMaterialId.
/// [Requirements for imported key material](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-conceptual.html#importing-keys-material-requirements)
public enum ImportedKeyMaterial {
    /// Why material was refused; Core answers each with IncorrectKeyMaterialException.
    public enum Failure: Error, Equatable, Sendable {
        /// Symmetric or HMAC material of a length the key spec does not take.
        case length(KeySpec, ClosedRange<Int>)
        /// Not a PKCS#8 PrivateKeyInfo (another encoding, encrypted, truncated or with trailing bytes).
        case notPKCS8
        /// A private key, but not of the key's spec (another algorithm, size or curve; a
        /// multi-prime RSA key; an EC key with explicit curve parameters).
        case wrongKeySpec(KeySpec)
        /// The private key's parts do not belong together: a signature made with it does not
        /// verify under its own public key.
        case inconsistent
        /// The key spec takes no imported material here.
        case notImportable(KeySpec)
    }

    /// Whether a KMS key of `spec` can be created with Origin EXTERNAL: symmetric encryption,
    /// HMAC, RSA, the NIST and secp256k1 curves, and SM2. AWS does not import ML-DSA keys, and
    /// lists no Ed25519 import.
    public static func isImportable(_ spec: KeySpec) -> Bool {
        switch spec {
        case .symmetricDefault, .hmac224, .hmac256, .hmac384, .hmac512, .rsa2048, .rsa3072, .rsa4096, .eccNistP256,
            .eccNistP384, .eccNistP521, .eccSecgP256k1, .sm2:
            true
        case .eccNistEdwards25519, .mlDsa44, .mlDsa65, .mlDsa87:
            false
        }
    }

    /// Whether the material of `spec` is an asymmetric private key (PKCS#8) rather than raw bytes.
    public static func isPrivateKey(_ spec: KeySpec) -> Bool {
        isImportable(spec) && acceptedByteCounts(for: spec) == nil
    }

    /// The lengths AWS accepts of imported symmetric and HMAC material, by key spec (nil for
    /// every other spec).
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

    /// What Trent stores (wrapped under the root key) for `material` imported into a key of
    /// `spec`: symmetric and HMAC material as given; a private key re-encoded exactly as Trent
    /// stores the keys it generates (``AsymmetricPrivateKey/storedRepresentation()``), after
    /// checking that it is a PKCS#8 key of exactly that spec whose parts belong together.
    /// The stored form is also what the KeyMaterialId is computed over, so the same private key
    /// is recognized however it was encoded (BER or DER, with or without its public key).
    public static func storedRepresentation(of material: Data, for spec: KeySpec) throws -> Data {
        guard isImportable(spec) else { throw Failure.notImportable(spec) }
        if let lengths = acceptedByteCounts(for: spec) {
            guard lengths.contains(material.count) else { throw Failure.length(spec, lengths) }
            return material
        }
        return try privateKey(pkcs8: material, spec: spec).storedRepresentation()
    }

    /// Parses an imported PKCS#8 private key that must be of exactly `spec`.
    public static func privateKey(pkcs8 der: Data, spec: KeySpec) throws -> AsymmetricPrivateKey {
        let parsed: OpenSSLKey
        do {
            parsed = try OpenSSLKey(strictPKCS8: der)
        } catch {
            throw Failure.notPKCS8
        }
        guard matches(parsed, spec) else { throw Failure.wrongKeySpec(spec) }
        let key: AsymmetricPrivateKey
        do {
            key = try AsymmetricPrivateKey(spec: spec, storedRepresentation: try parsed.pkcs8DER())
        } catch {
            throw Failure.inconsistent
        }
        try checkPairwiseConsistency(key)
        return key
    }

    /// RSA: a two-prime key with the spec's modulus size. ECC and SM2: the spec's named curve.
    private static func matches(_ key: OpenSSLKey, _ spec: KeySpec) -> Bool {
        func rsa(_ bits: Int) -> Bool { key.isA("RSA") && key.bits == bits && key.rsaPrimeCount == 2 }
        func curve(_ name: String) -> Bool {
            key.isA("EC") && !key.hasExplicitCurveParameters && key.groupName == name
        }
        switch spec {
        case .rsa2048: return rsa(2048)
        case .rsa3072: return rsa(3072)
        case .rsa4096: return rsa(4096)
        case .eccNistP256: return curve("prime256v1")
        case .eccNistP384: return curve("secp384r1")
        case .eccNistP521: return curve("secp521r1")
        case .eccSecgP256k1: return curve("secp256k1")
        case .sm2: return key.isA("SM2") && !key.hasExplicitCurveParameters
        default: return false
        }
    }

    /// A signature made with the private key must verify under its public key: this catches an
    /// RSA key whose exponents do not fit its modulus, or an EC key whose embedded public point
    /// is not its own (OpenSSL keys verify, and GetPublicKey answers, with the embedded point).
    private static func checkPairwiseConsistency(_ key: AsymmetricPrivateKey) throws {
        guard let algorithm = key.spec.signingAlgorithms(for: .signVerify)?.first else { return }
        let message = Data("trent/imported-key-pairwise-check".utf8)
        do {
            let signature = try key.sign(message, algorithm: algorithm, messageType: .raw)
            guard try key.isValidSignature(signature, for: message, algorithm: algorithm, messageType: .raw) else {
                throw Failure.inconsistent
            }
        } catch {
            throw Failure.inconsistent
        }
    }

    /// The KeyMaterialId of material imported into the key `keyArn` (computed over the stored
    /// form): HMAC-SHA256 keyed by the material over the key's ARN, so it depends on both (as
    /// AWS's does), reveals nothing of the material, and lets a re-import be recognized after
    /// the material itself is destroyed.
    public static func materialId(_ material: Data, keyArn: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("trent/imported-key-material-id/v1/\(keyArn)".utf8), using: SymmetricKey(data: material))
        return Data(mac).hexString
    }
}
