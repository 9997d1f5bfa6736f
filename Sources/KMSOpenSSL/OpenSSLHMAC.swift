import COpenSSL
import Foundation

/// HMAC over any ``OpenSSLDigest``, for HMAC-SHA-224, which swift-crypto lacks; and HMAC-SHA-256
/// on the request path (SigV4's signature, the message ciphers' HKDF) over libcrypto's SHA-256.
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

    /// HMAC-SHA-256 of `first`, `second` and `third` one after another, into `output` (32 bytes),
    /// as RFC 2104 defines it, over ``OpenSSLSHA256``: its state and the padded key live on the
    /// stack, so no allocation. Parts are separate parameters, not an array, for the same reason.
    ///
    /// On the request path (SigV4's signature, the three HMACs of a message's HKDF), OpenSSL's
    /// `EVP_MAC` took about 0.9 µs per HMAC: `EVP_MAC_init` goes through the provider layer and
    /// sets up three digest contexts for each new key. The compression function, the bulk of
    /// the work, is the same assembly either way.
    public static func sha256(
        key: UnsafeRawBufferPointer, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer = .init(start: nil, count: 0),
        _ third: UnsafeRawBufferPointer = .init(start: nil, count: 0), into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count >= OpenSSLSHA256.byteCount)
        let blockSize = 64
        withUnsafeTemporaryAllocation(byteCount: blockSize + OpenSSLSHA256.byteCount, alignment: 8) { scratch in
            defer { OPENSSL_cleanse(scratch.baseAddress, scratch.count) }
            let pad = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<blockSize])
            let innerDigest = UnsafeMutableRawBufferPointer(rebasing: scratch[blockSize...])
            // The key, zero-padded to a block; a key longer than a block is hashed first.
            pad.initializeMemory(as: UInt8.self, repeating: 0)
            if key.count > blockSize {
                var hasher = OpenSSLSHA256()
                hasher.update(key)
                hasher.finalize(into: pad)
            } else if key.count > 0 {
                pad.copyMemory(from: key)
            }
            for index in 0..<blockSize { pad[index] ^= 0x36 }
            var inner = OpenSSLSHA256()
            inner.update(UnsafeRawBufferPointer(pad))
            inner.update(first)
            inner.update(second)
            inner.update(third)
            inner.finalize(into: innerDigest)
            // 0x36 ^ 0x5c: from the inner pad to the outer one.
            for index in 0..<blockSize { pad[index] ^= 0x6a }
            var outer = OpenSSLSHA256()
            outer.update(UnsafeRawBufferPointer(pad))
            outer.update(UnsafeRawBufferPointer(innerDigest))
            outer.finalize(into: output)
        }
    }
}
