import COpenSSL

/// HKDF-SHA-256 and AES-256-GCM for sealing one message: the symmetric Encrypt, Decrypt and
/// GenerateDataKey path. libcrypto's algorithm objects are fetched once and its contexts made
/// per call, so a seal allocates a few small contexts and nothing else. swift-crypto's generic
/// HKDF and HMAC built several heap objects per HMAC and cost about 10 µs per seal.
public enum OpenSSLMessageCipher {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// HKDF-SHA-256 (RFC 5869), extract then expand, into `output` (at most 8160 bytes).
    public static func hkdfSHA256(
        key: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, info: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        guard let context = EVP_KDF_CTX_new(Prefetched.shared.hkdf) else { throw OpenSSLError("EVP_KDF_CTX_new(HKDF)") }
        defer { EVP_KDF_CTX_free(context) }
        var parameters = [
            OSSL_PARAM_construct_utf8_string(ParameterName.digest, UnsafeMutablePointer(mutating: ParameterName.sha256), 0),
            octetString(ParameterName.key, key),
            octetString(ParameterName.salt, salt),
            octetString(ParameterName.info, info),
            OSSL_PARAM_construct_end(),
        ]
        try check(
            EVP_KDF_derive(context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), output.count, &parameters),
            "EVP_KDF_derive(HKDF-SHA256)")
    }

    /// AES-256-GCM encryption: writes `plaintext.count` bytes of ciphertext and the 16-byte tag.
    public static func seal(
        key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
        plaintext: UnsafeRawBufferPointer, ciphertext: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(key.count == keyLength && nonce.count == nonceLength && tag.count == tagLength)
        precondition(ciphertext.count >= plaintext.count)
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try check(EVP_EncryptInit_ex2(context, Prefetched.shared.aes256GCM, bytes(key), bytes(nonce), nil), "EVP_EncryptInit_ex2(AES-256-GCM)")
        var length: Int32 = 0
        if aad.count > 0 { try check(EVP_EncryptUpdate(context, nil, &length, bytes(aad), Int32(aad.count)), "EVP_EncryptUpdate(aad)") }
        var written = 0
        if plaintext.count > 0 {
            try check(
                EVP_EncryptUpdate(context, mutableBytes(ciphertext), &length, bytes(plaintext), Int32(plaintext.count)),
                "EVP_EncryptUpdate")
            written = Int(length)
        }
        try check(EVP_EncryptFinal_ex(context, mutableBytes(ciphertext)?.advanced(by: written), &length), "EVP_EncryptFinal_ex")
        try check(EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), tag.baseAddress), "EVP_CTRL_GCM_GET_TAG")
    }

    /// AES-256-GCM decryption. Returns false, having written nothing a caller may use, when the
    /// tag does not verify.
    public static func open(
        key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
        ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, plaintext: UnsafeMutableRawBufferPointer
    ) throws -> Bool {
        precondition(key.count == keyLength && nonce.count == nonceLength)
        precondition(plaintext.count >= ciphertext.count)
        guard tag.count == tagLength else { return false }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try check(EVP_DecryptInit_ex2(context, Prefetched.shared.aes256GCM, bytes(key), bytes(nonce), nil), "EVP_DecryptInit_ex2(AES-256-GCM)")
        var length: Int32 = 0
        if aad.count > 0 { try check(EVP_DecryptUpdate(context, nil, &length, bytes(aad), Int32(aad.count)), "EVP_DecryptUpdate(aad)") }
        var written = 0
        if ciphertext.count > 0 {
            try check(
                EVP_DecryptUpdate(context, mutableBytes(plaintext), &length, bytes(ciphertext), Int32(ciphertext.count)),
                "EVP_DecryptUpdate")
            written = Int(length)
        }
        try check(
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), UnsafeMutableRawPointer(mutating: tag.baseAddress)),
            "EVP_CTRL_GCM_SET_TAG")
        guard EVP_DecryptFinal_ex(context, mutableBytes(plaintext)?.advanced(by: written), &length) > 0 else {
            ERR_clear_error()
            return false
        }
        return true
    }

    /// Overwrites secret bytes in a way the compiler may not remove as a dead store.
    public static func cleanse(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
    }

    /// Algorithm objects fetched from the default provider once for the process.
    private final class Prefetched: @unchecked Sendable {
        static let shared = Prefetched()
        let aes256GCM: OpaquePointer
        let hkdf: OpaquePointer

        private init() {
            guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) else { fatalError("libcrypto has no AES-256-GCM") }
            aes256GCM = cipher
            guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else { fatalError("libcrypto has no HKDF") }
            hkdf = kdf
        }
    }

    /// OSSL_PARAM names, as C strings that live for the process.
    private enum ParameterName {
        static var key: UnsafePointer<CChar> { cString("key") }
        static var salt: UnsafePointer<CChar> { cString("salt") }
        static var info: UnsafePointer<CChar> { cString("info") }
        static var digest: UnsafePointer<CChar> { cString("digest") }
        static var sha256: UnsafePointer<CChar> { cString("SHA256") }

        private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
            UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
        }
    }

    private static func octetString(_ name: UnsafePointer<CChar>, _ value: UnsafeRawBufferPointer) -> OSSL_PARAM {
        // An empty buffer may have no address; libcrypto wants a pointer even for zero bytes.
        OSSL_PARAM_construct_octet_string(name, UnsafeMutableRawPointer(mutating: value.baseAddress ?? emptyAddress), value.count)
    }

    private static var emptyAddress: UnsafeRawPointer { UnsafeRawPointer(ParameterName.key) }

    private static func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    private static func mutableBytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}
