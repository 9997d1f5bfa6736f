import COpenSSL
import Foundation

/// AES key wrap with padding (RFC 5649), as AWS's RSA_AES_KEY_WRAP import algorithms use it.
public enum OpenSSLKeyWrap {
    public static func wrapWithPadding(_ plaintext: Data, kek: Data) throws -> Data {
        try run(plaintext, kek: kek, encrypt: true)
    }

    /// Throws if the integrity check fails (another KEK, or altered input).
    public static func unwrapWithPadding(_ wrapped: Data, kek: Data) throws -> Data {
        try run(wrapped, kek: kek, encrypt: false)
    }

    private static func cipher(for kek: Data) throws -> OpaquePointer {
        let cipher: OpaquePointer? =
            switch kek.count {
            case 16: EVP_aes_128_wrap_pad()
            case 24: EVP_aes_192_wrap_pad()
            case 32: EVP_aes_256_wrap_pad()
            default: nil
            }
        guard let cipher else { throw OpenSSLError("AES key wrap: key of \(kek.count) bytes") }
        return cipher
    }

    private static func run(_ input: Data, kek: Data, encrypt: Bool) throws -> Data {
        guard !input.isEmpty else { throw OpenSSLError("AES key wrap: empty input") }
        let cipher = try cipher(for: kek)
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        EVP_CIPHER_CTX_set_flags(context, Int32(EVP_CIPHER_CTX_FLAG_WRAP_ALLOW))
        let initialized = kek.withUnsafeBytes { key in
            EVP_CipherInit_ex(context, cipher, nil, key.baseAddress?.assumingMemoryBound(to: UInt8.self), nil, encrypt ? 1 : 0)
        }
        try check(initialized, "EVP_CipherInit_ex(wrap)")
        var out = [UInt8](repeating: 0, count: input.count + 16)
        var length: Int32 = 0
        let updated = input.withUnsafeBytes { raw in
            EVP_CipherUpdate(context, &out, &length, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(raw.count))
        }
        try check(updated, "EVP_CipherUpdate(wrap)")
        var tail: Int32 = 0
        let finished = out.withUnsafeMutableBufferPointer { buffer in
            EVP_CipherFinal_ex(context, buffer.baseAddress!.advanced(by: Int(length)), &tail)
        }
        try check(finished, "EVP_CipherFinal_ex(wrap)")
        return Data(out.prefix(Int(length + tail)))
    }
}
