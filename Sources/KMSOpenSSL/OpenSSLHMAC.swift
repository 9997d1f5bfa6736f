import COpenSSL
import Foundation

/// HMAC over any ``OpenSSLDigest``, for HMAC-SHA-224, which swift-crypto lacks; and HMAC-SHA-256
/// on the request path (SigV4's signature, the message ciphers' HKDF) over the thread's reused
/// context.
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
    /// on this thread's context: no allocation. Parts are separate parameters, not an array, for
    /// the same reason.
    public static func sha256(
        key: UnsafeRawBufferPointer, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer = .init(start: nil, count: 0),
        _ third: UnsafeRawBufferPointer = .init(start: nil, count: 0), into output: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(output.count >= 32)
        let mac = ThreadCryptoContexts.current().hmacSHA256
        // A null key tells HMAC to keep the previous one: an empty key needs an address.
        let keyBytes = key.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyBytes
        guard EVP_MAC_init(mac, keyBytes, key.count, nil) == 1 else { throw OpenSSLError("EVP_MAC_init(HMAC-SHA256)") }
        func update(_ part: UnsafeRawBufferPointer) throws {
            guard part.count > 0 else { return }
            guard EVP_MAC_update(mac, part.baseAddress?.assumingMemoryBound(to: UInt8.self), part.count) == 1 else {
                throw OpenSSLError("EVP_MAC_update(HMAC-SHA256)")
            }
        }
        try update(first)
        try update(second)
        try update(third)
        var length = 0
        guard EVP_MAC_final(mac, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, output.count) == 1, length == 32
        else { throw OpenSSLError("EVP_MAC_final(HMAC-SHA256)") }
    }

    /// An address for zero bytes that lives for the process.
    private static var emptyBytes: UnsafePointer<UInt8> { ("" as StaticString).utf8Start }
}
