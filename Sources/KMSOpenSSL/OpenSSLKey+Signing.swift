import COpenSSL
import Foundation

extension OpenSSLKey {
    /// How a digest becomes a signature.
    public enum SignatureScheme: Sendable, Equatable {
        /// RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest, as AWS KMS signs.
        case rsaPSS(OpenSSLDigest)
        /// RSASSA-PKCS1-v1_5 with the DigestInfo of the named digest.
        case rsaPKCS1(OpenSSLDigest)
        /// ECDSA (secp256k1), DER-encoded `Ecdsa-Sig-Value`.
        case ecdsa
        /// SM2DSA over a precomputed e = SM3(Z_A ‖ M), DER-encoded.
        case sm2
    }

    /// Signs a digest the caller already computed (AWS's MessageType DIGEST, and RAW once hashed).
    public func sign(digest: Data, scheme: SignatureScheme) throws -> Data {
        try withContext { context in
            try check(EVP_PKEY_sign_init(context), "EVP_PKEY_sign_init")
            try configure(context, scheme)
            var length = 0
            return try digest.withUnsafeBytes { raw in
                let input = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
                try check(EVP_PKEY_sign(context, nil, &length, input, raw.count), "EVP_PKEY_sign")
                var out = [UInt8](repeating: 0, count: length)
                try check(EVP_PKEY_sign(context, &out, &length, input, raw.count), "EVP_PKEY_sign")
                return Data(out.prefix(length))
            }
        }
    }

    /// Whether `signature` is valid for a digest. Any fault in the signature is `false`.
    public func isValidSignature(_ signature: Data, digest: Data, scheme: SignatureScheme) -> Bool {
        (try? withContext { context -> Bool in
            try check(EVP_PKEY_verify_init(context), "EVP_PKEY_verify_init")
            try configure(context, scheme)
            return signature.withUnsafeBytes { sig in
                digest.withUnsafeBytes { dgst in
                    EVP_PKEY_verify(
                        context, sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count,
                        dgst.baseAddress?.assumingMemoryBound(to: UInt8.self), dgst.count) == 1
                }
            }
        }) ?? false
    }

    /// SM2DSA over a whole message: SM3(Z_A ‖ M) with the signer's distinguishing ID, as
    /// GB/T 32918 and AWS KMS (default ID `1234567812345678`) define it.
    public func signSM2(message: Data, distinguishingID: Data) throws -> Data {
        try withMessageContext(distinguishingID: distinguishingID, signing: true) { mdContext in
            var length = 0
            return try message.withUnsafeBytes { raw in
                let input = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
                try check(EVP_DigestSign(mdContext, nil, &length, input, raw.count), "EVP_DigestSign")
                var out = [UInt8](repeating: 0, count: length)
                try check(EVP_DigestSign(mdContext, &out, &length, input, raw.count), "EVP_DigestSign")
                return Data(out.prefix(length))
            }
        }
    }

    public func isValidSM2Signature(_ signature: Data, message: Data, distinguishingID: Data) -> Bool {
        (try? withMessageContext(distinguishingID: distinguishingID, signing: false) { mdContext -> Bool in
            signature.withUnsafeBytes { sig in
                message.withUnsafeBytes { msg in
                    EVP_DigestVerify(
                        mdContext, sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count,
                        msg.baseAddress?.assumingMemoryBound(to: UInt8.self), msg.count) == 1
                }
            }
        }) ?? false
    }

    private func configure(_ context: OpaquePointer, _ scheme: SignatureScheme) throws {
        switch scheme {
        case .rsaPSS(let digest):
            try check(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING), "set PSS padding")
            try check(EVP_PKEY_CTX_set_signature_md(context, try digest.method), "set signature digest")
            try check(EVP_PKEY_CTX_set_rsa_mgf1_md(context, try digest.method), "set MGF1 digest")
            try check(EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST), "set PSS salt length")
        case .rsaPKCS1(let digest):
            try check(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING), "set PKCS#1 padding")
            try check(EVP_PKEY_CTX_set_signature_md(context, try digest.method), "set signature digest")
        case .ecdsa, .sm2:
            break
        }
    }

    /// Runs `body` with a fresh operation context on this key.
    func withContext<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw OpenSSLError("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(context) }
        return try body(context)
    }

    private func withMessageContext<T>(
        distinguishingID: Data, signing: Bool, _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        guard let mdContext = EVP_MD_CTX_new() else { throw OpenSSLError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(mdContext) }
        // The distinguishing ID goes on a key context handed to the digest context; that one is
        // not freed by EVP_MD_CTX_free (see EVP_MD_CTX_set_pkey_ctx(3)).
        return try withContext { keyContext in
            try distinguishingID.withUnsafeBytes { id in
                try check(EVP_PKEY_CTX_set1_id(keyContext, id.baseAddress, Int32(id.count)), "EVP_PKEY_CTX_set1_id")
            }
            EVP_MD_CTX_set_pkey_ctx(mdContext, keyContext)
            let sm3 = try OpenSSLDigest.sm3.method
            if signing {
                try check(EVP_DigestSignInit(mdContext, nil, sm3, nil, pointer), "EVP_DigestSignInit")
            } else {
                try check(EVP_DigestVerifyInit(mdContext, nil, sm3, nil, pointer), "EVP_DigestVerifyInit")
            }
            return try body(mdContext)
        }
    }
}
