import Crypto
import Foundation

/// Cryptographically secure random bytes from BoringSSL's generator, in one call.
///
/// `SystemRandomNumberGenerator.next()` asks the kernel on every call, and called for `UInt8`s
/// it makes one `getrandom` system call per byte: profiling showed 32 of them per Encrypt.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    public static func data(_ count: Int) -> Data {
        Data(bytes(count))
    }
}
