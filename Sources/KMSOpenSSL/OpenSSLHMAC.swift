import COpenSSL
import Foundation

/// HMAC over any ``OpenSSLDigest``. Trent uses it for HMAC-SHA-224, which swift-crypto lacks;
/// the other HMACs come from swift-crypto.
public enum OpenSSLHMAC {
    public static func authenticationCode(_ digest: OpenSSLDigest, key: Data, message: Data) throws -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                EVP_Q_mac(
                    nil, "HMAC", nil, digest.rawValue, nil,
                    keyBytes.baseAddress, keyBytes.count,
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                    &out, out.count, &length)
            }
        }
        guard result != nil else { throw OpenSSLError("EVP_Q_mac(HMAC-\(digest.rawValue))") }
        return Data(out.prefix(length))
    }
}
