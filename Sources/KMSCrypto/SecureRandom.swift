import Foundation
import KMSOpenSSL

/// Cryptographically secure random bytes from libcrypto's generator.
///
/// `SystemRandomNumberGenerator.next()` asks the kernel on every call, and called for `UInt8`s
/// it makes one `getrandom` system call per byte: profiling showed 32 of them per Encrypt.
/// swift-crypto's `SymmetricKey(size:)` also makes one system call per key; libcrypto's
/// per-thread DRBG makes none on the request path.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            OpenSSLRandom.fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    public static func data(_ count: Int) -> Data {
        Data(bytes(count))
    }
}
