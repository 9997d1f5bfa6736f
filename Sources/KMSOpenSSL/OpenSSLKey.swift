import COpenSSL
import Foundation

/// An OpenSSL `EVP_PKEY`, private or public, owned by this object and freed with it.
///
/// libcrypto keys are safe to share between threads once built: every operation below makes
/// its own `EVP_PKEY_CTX`, and nothing mutates the key after construction, hence `@unchecked Sendable`.
public final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The elliptic curves Trent takes from OpenSSL (the NIST curves come from swift-crypto).
    public enum Curve: String, Sendable {
        /// secp256k1, an `EC` key with that named group.
        case secp256k1
        /// The SM2 curve, an `SM2` key (OpenSSL 3 makes SM2 its own key type).
        case sm2
    }

    public static func generateRSA(bits: Int) throws -> OpenSSLKey {
        try generate("RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) }
    }

    public static func generate(curve: Curve) throws -> OpenSSLKey {
        switch curve {
        case .secp256k1: try generate("EC") { EVP_PKEY_CTX_set_group_name($0, "secp256k1") }
        case .sm2: try generate("SM2") { _ in 1 }
        }
    }

    private static func generate(_ algorithm: String, configure: (OpaquePointer) -> Int32) throws -> OpenSSLKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw OpenSSLError("EVP_PKEY_CTX_new_from_name(\(algorithm))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        try check(configure(context), "configure \(algorithm) key generation")
        var key: OpaquePointer?
        try check(EVP_PKEY_keygen(context, &key), "EVP_PKEY_keygen")
        guard let key else { throw OpenSSLError("EVP_PKEY_keygen") }
        return OpenSSLKey(owning: key)
    }

    /// Parses a DER PKCS#8 PrivateKeyInfo (RFC 5958), the form Trent stores (wrapped) and
    /// GenerateDataKeyPair returns.
    public convenience init(pkcs8 der: Data) throws {
        let key: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return d2i_AutoPrivateKey(nil, &cursor, raw.count)
        }
        guard let key else { throw OpenSSLError("d2i_AutoPrivateKey") }
        self.init(owning: key)
    }

    /// Parses a DER SubjectPublicKeyInfo (RFC 5280).
    public convenience init(subjectPublicKeyInfo der: Data) throws {
        let key: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            let parsed = d2i_PUBKEY(nil, &cursor, raw.count)
            // Trailing bytes after the structure are a malformed key, not a shorter one.
            if let parsed, cursor != raw.baseAddress?.assumingMemoryBound(to: UInt8.self).advanced(by: raw.count) {
                EVP_PKEY_free(parsed)
                return nil
            }
            return parsed
        }
        guard let key else { throw OpenSSLError("d2i_PUBKEY") }
        self.init(owning: key)
    }

    /// DER PKCS#8 PrivateKeyInfo of a private key.
    public func pkcs8DER() throws -> Data {
        guard let info = EVP_PKEY2PKCS8(pointer) else { throw OpenSSLError("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try Self.encode("i2d_PKCS8_PRIV_KEY_INFO") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// DER SubjectPublicKeyInfo of the key's public half.
    public func subjectPublicKeyInfoDER() throws -> Data {
        try Self.encode("i2d_PUBKEY") { i2d_PUBKEY(pointer, $0) }
    }

    /// Whether OpenSSL sees this key as the named type (`RSA`, `EC`, `SM2`).
    public func isA(_ name: String) -> Bool {
        EVP_PKEY_is_a(pointer, name) == 1
    }

    /// The key size in bits (the modulus for RSA).
    public var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// The largest signature or ciphertext this key produces, in bytes.
    public var maximumOutputSize: Int { Int(EVP_PKEY_get_size(pointer)) }

    private static func encode(
        _ step: String, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws -> Data {
        let length = body(nil)
        guard length > 0 else { throw OpenSSLError(step) }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return body(&cursor)
        }
        guard written == length else { throw OpenSSLError(step) }
        return Data(out)
    }
}
