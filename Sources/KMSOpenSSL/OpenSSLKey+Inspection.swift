import COpenSSL
import Foundation

/// Reading a private key that came from outside (imported key material): only PKCS#8, and
/// enough about the parsed key to tell whether it is of the kind a KMS key spec names.
extension OpenSSLKey {
    /// Parses a PKCS#8 PrivateKeyInfo (RFC 5208/5958), BER or DER, and nothing else: unlike
    /// ``init(pkcs8:)``, which lets `d2i_AutoPrivateKey` also take PKCS#1 or SEC1 structures,
    /// this refuses every other encoding, an encrypted PKCS#8, and trailing bytes.
    public convenience init(strictPKCS8 der: Data) throws {
        let key: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var cursor: UnsafePointer<UInt8>? = base
            guard let info = d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, raw.count) else { return nil }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard cursor == base.advanced(by: raw.count) else { return nil }
            return EVP_PKCS82PKEY(info)
        }
        guard let key else { throw OpenSSLError("d2i_PKCS8_PRIV_KEY_INFO") }
        self.init(owning: key)
    }

    /// The named group of an `EC` or `SM2` key (`prime256v1`, `secp384r1`, `secp521r1`,
    /// `secp256k1`, `SM2`), or nil if the key has none (RSA, or explicit curve parameters).
    public var groupName: String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(pointer, "group", &buffer, buffer.count, &length) == 1 else {
            ERR_clear_error()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether an EC key was decoded from explicit curve parameters rather than a named curve
    /// (OpenSSL 3 still names the group when the parameters are those of a known curve).
    public var hasExplicitCurveParameters: Bool {
        var flag: Int32 = 0
        guard EVP_PKEY_get_int_param(pointer, "decoded-from-explicit", &flag) == 1 else {
            ERR_clear_error()
            return false
        }
        return flag != 0
    }

    /// The number of prime factors of an RSA modulus: 2, or more for a multi-prime key
    /// (RFC 8017 §3.2); 0 for a key that is not RSA.
    public var rsaPrimeCount: Int {
        guard isA("RSA") else { return 0 }
        var count = 2
        while true {
            var factor: OpaquePointer?
            guard EVP_PKEY_get_bn_param(pointer, "rsa-factor\(count + 1)", &factor) == 1, let factor else { break }
            BN_clear_free(factor)
            count += 1
        }
        ERR_clear_error()
        return count
    }
}
