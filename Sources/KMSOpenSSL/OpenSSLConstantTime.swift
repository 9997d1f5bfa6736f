import COpenSSL
import Foundation

/// libcrypto's constant-time comparison (`CRYPTO_memcmp`).
public enum OpenSSLConstantTime {
    public static func equal(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 }
        }
    }
}
