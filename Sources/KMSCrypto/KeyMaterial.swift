import Foundation
import KMSModel

/// The parsed, in-memory material of one key version, whatever its spec.
///
/// At rest every kind is wrapped under the root key (`RootKeyProvider.wrap`, bound to
/// `key-material/<account>/<region>/<key id>/<version>`); the wrapped bytes are
/// - SYMMETRIC_DEFAULT: the 32-byte AES key;
/// - HMAC_*: the raw HMAC key (28/32/48/64 bytes);
/// - asymmetric specs: ``AsymmetricPrivateKey/storedRepresentation()`` (PKCS#8 DER, or the ML-DSA seed).
public enum KeyMaterial: Sendable {
    case symmetric(SymmetricKeyMaterial)
    case hmac(HMACKeyMaterial)
    case asymmetric(AsymmetricPrivateKey)

    /// New material for `spec`, and the bytes to wrap and store.
    public static func generate(for spec: KeySpec) throws -> (material: KeyMaterial, stored: Data) {
        switch spec {
        case .symmetricDefault:
            let (material, bytes) = SymmetricKeyMaterial.generate()
            return (.symmetric(material), bytes)
        case .hmac224, .hmac256, .hmac384, .hmac512:
            var generator = SystemRandomNumberGenerator()
            let bytes = Data((0..<HMACKeyMaterial.byteCount(for: spec)!).map { _ in generator.next() as UInt8 })
            return (.hmac(HMACKeyMaterial(bytes: bytes)), bytes)
        default:
            let key = try AsymmetricPrivateKey.generate(spec)
            return (.asymmetric(key), try key.storedRepresentation())
        }
    }

    /// Parses unwrapped stored bytes.
    public init(spec: KeySpec, stored bytes: Data) throws {
        switch spec {
        case .symmetricDefault: self = .symmetric(SymmetricKeyMaterial(bytes: bytes))
        case .hmac224, .hmac256, .hmac384, .hmac512: self = .hmac(HMACKeyMaterial(bytes: bytes))
        default: self = .asymmetric(try AsymmetricPrivateKey(spec: spec, storedRepresentation: bytes))
        }
    }
}
