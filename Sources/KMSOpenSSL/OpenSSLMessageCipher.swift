import COpenSSL

/// HKDF-SHA-256 and AES-256-GCM for sealing one message: the symmetric Encrypt, Decrypt and
/// GenerateDataKey path. Each thread keeps one HMAC and one AES-256-GCM context and rekeys
/// them per message (``ThreadCryptoContexts``), so a seal allocates nothing in libcrypto.
/// swift-crypto's generic HKDF and HMAC built several heap objects per HMAC and cost about
/// 10 µs per seal; libcrypto's HKDF with contexts made per call, about 5 µs.
public enum OpenSSLMessageCipher {
    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    /// HKDF-SHA-256 (RFC 5869), extract then expand, into `output` (at most 8160 bytes).
    ///
    /// Written out over HMAC rather than through libcrypto's HKDF: `EVP_KDF_derive` builds and
    /// frees its HMAC contexts on every call, about 30 allocations. This reuses the thread's
    /// HMAC context, rekeyed for each step.
    public static func hkdfSHA256(
        key: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, info: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) {
        let digestLength = 32
        precondition(output.count <= 255 * digestLength, "HKDF-SHA-256 yields at most 8160 bytes")
        withUnsafeTemporaryAllocation(byteCount: 2 * digestLength, alignment: 1) { scratch in
            defer { cleanse(scratch) }
            let pseudorandomKey = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<digestLength])
            let block = UnsafeMutableRawBufferPointer(rebasing: scratch[digestLength...])
            // Extract: PRK = HMAC(salt, key). An empty salt is a block of zeros (RFC 5869, 2.2),
            // which HMAC pads to the same key as no bytes at all.
            OpenSSLHMAC.sha256(key: salt, key, into: pseudorandomKey)
            // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
            var written = 0
            var counter: UInt8 = 1
            while written < output.count {
                withUnsafeBytes(of: counter) { counterByte in
                    let previous = UnsafeRawBufferPointer(rebasing: block[0..<(counter == 1 ? 0 : digestLength)])
                    OpenSSLHMAC.sha256(key: UnsafeRawBufferPointer(pseudorandomKey), previous, info, counterByte, into: block)
                }
                let take = min(digestLength, output.count - written)
                UnsafeMutableRawBufferPointer(rebasing: output[written..<written + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: block[0..<take]))
                written += take
                counter &+= 1
            }
        }
    }

    /// AES-256-GCM encryption: writes `plaintext.count` bytes of ciphertext and the 16-byte tag.
    public static func seal(
        key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
        plaintext: UnsafeRawBufferPointer, ciphertext: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(key.count == keyLength && nonce.count == nonceLength && tag.count == tagLength)
        precondition(ciphertext.count >= plaintext.count)
        let context = ThreadCryptoContexts.current().aes256GCM
        // No cipher: the context keeps AES-256-GCM from its creation and takes the new key and nonce.
        try check(EVP_EncryptInit_ex2(context, nil, bytes(key), bytes(nonce), nil), "EVP_EncryptInit_ex2(AES-256-GCM)")
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
        let context = ThreadCryptoContexts.current().aes256GCM
        try check(EVP_DecryptInit_ex2(context, nil, bytes(key), bytes(nonce), nil), "EVP_DecryptInit_ex2(AES-256-GCM)")
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

    private static func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    private static func mutableBytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}
