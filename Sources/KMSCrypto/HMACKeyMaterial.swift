import Crypto
import Foundation
import KMSModel
import KMSOpenSSL

/// The secret of an HMAC_224/256/384/512 key: as many random bytes as the spec's bit count,
/// as AWS's HMAC keys have. HMAC-SHA-256/384/512 come from swift-crypto, HMAC-SHA-224 (which
/// swift-crypto lacks) from OpenSSL.
/// [HMAC keys](https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html)
public struct HMACKeyMaterial: Sendable {
    private let key: SymmetricKey

    public init(bytes: Data) {
        key = SymmetricKey(data: bytes)
    }

    public static func byteCount(for spec: KeySpec) -> Int? {
        switch spec {
        case .hmac224: 28
        case .hmac256: 32
        case .hmac384: 48
        case .hmac512: 64
        default: nil
        }
    }

    public func authenticationCode(for message: Data, algorithm: MacAlgorithmSpec) throws -> Data {
        switch algorithm {
        case .hmacSha224:
            return try key.withUnsafeBytes { try OpenSSLHMAC.authenticationCode(.sha224, key: Data($0), message: message) }
        case .hmacSha256: return Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .hmacSha384: return Data(HMAC<SHA384>.authenticationCode(for: message, using: key))
        case .hmacSha512: return Data(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    /// Compares in constant time, so a caller cannot learn the MAC byte by byte.
    public func isValid(_ mac: Data, for message: Data, algorithm: MacAlgorithmSpec) throws -> Bool {
        switch algorithm {
        case .hmacSha224:
            return OpenSSLConstantTime.equal(try authenticationCode(for: message, algorithm: algorithm), mac)
        case .hmacSha256: return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key)
        case .hmacSha384: return HMAC<SHA384>.isValidAuthenticationCode(mac, authenticating: message, using: key)
        case .hmacSha512: return HMAC<SHA512>.isValidAuthenticationCode(mac, authenticating: message, using: key)
        }
    }
}
