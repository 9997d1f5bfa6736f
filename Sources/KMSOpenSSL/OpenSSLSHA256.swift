import COpenSSL

/// SHA-256 over libcrypto's low-level interface, its state on the stack. On the request path
/// (SigV4's payload and canonical-request hashes, the audit chain's link) swift-crypto's
/// `SHA256` allocated a context object per hash, and OpenSSL 3's one-shot `SHA256()` goes
/// through `EVP_Q_digest`, which fetches the algorithm and allocates too. The block function is
/// the same assembly either way.
public struct OpenSSLSHA256 {
    public static let byteCount = 32
    private var context = SHA256_CTX()

    public init() {
        SHA256_Init(&context)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        SHA256_Update(&context, bytes.baseAddress, bytes.count)
    }

    /// Writes the 32-byte digest to `output` and wipes the state, which may hold the last
    /// partial block of what was hashed (a request body holds a plaintext).
    public mutating func finalize(into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.byteCount)
        SHA256_Final(output.baseAddress?.assumingMemoryBound(to: UInt8.self), &context)
        withUnsafeMutableBytes(of: &context) { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }

    /// The digest of `bytes`, handed to `body` without leaving the stack. Inlinable, so callers
    /// in other modules get it specialized instead of looking up generic metadata per call.
    @inlinable
    public static func hash<T>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var hasher = OpenSSLSHA256()
        hasher.update(bytes)
        return try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { digest in
            hasher.finalize(into: digest)
            return try body(UnsafeRawBufferPointer(digest))
        }
    }
}
