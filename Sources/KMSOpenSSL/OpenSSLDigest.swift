import COpenSSL
import Foundation

/// The digests Trent asks OpenSSL for by name: the RSA and ECDSA hashes, and SM3 for SM2.
public enum OpenSSLDigest: String, Sendable, CaseIterable {
    case sha1 = "SHA1"
    case sha224 = "SHA224"
    case sha256 = "SHA256"
    case sha384 = "SHA384"
    case sha512 = "SHA512"
    case sm3 = "SM3"

    /// libcrypto's static method table for this digest (never freed).
    var method: OpaquePointer {
        get throws {
            guard let md = EVP_get_digestbyname(rawValue) else { throw OpenSSLError("EVP_get_digestbyname(\(rawValue))") }
            return md
        }
    }

    public var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha224: 28
        case .sha256, .sm3: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The one-shot hash of `data`.
    public func hash(_ data: Data) throws -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let ok = data.withUnsafeBytes { raw in
            EVP_Q_digest(nil, rawValue, nil, raw.baseAddress, raw.count, &out, &length)
        }
        try check(ok, "EVP_Q_digest(\(rawValue))")
        return Data(out.prefix(length))
    }
}
