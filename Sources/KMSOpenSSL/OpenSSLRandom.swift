import COpenSSL

/// libcrypto's CSPRNG (a per-thread NIST SP 800-90A CTR_DRBG seeded from the kernel): random
/// bytes without a system call per request.
public enum OpenSSLRandom {
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // RAND_bytes fails only when the generator cannot be seeded: nothing can safely go on.
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            fatalError("libcrypto's random generator failed: \(OpenSSLError("RAND_bytes"))")
        }
    }
}
