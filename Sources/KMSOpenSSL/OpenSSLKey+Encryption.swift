import COpenSSL
import Foundation

extension OpenSSLKey {
    /// Public-key encryption schemes.
    public enum EncryptionScheme: Sendable, Equatable {
        /// RSAES-OAEP with the same digest for the label hash and MGF1, empty label.
        case rsaOAEP(OpenSSLDigest)
        /// SM2 public-key encryption (GB/T 32918.4) with SM3, ASN.1-encoded C1‖C3‖C2.
        case sm2
    }

    public func encrypt(_ plaintext: Data, scheme: EncryptionScheme) throws -> Data {
        try withContext { context in
            try check(EVP_PKEY_encrypt_init(context), "EVP_PKEY_encrypt_init")
            try configure(context, scheme)
            return try run(context, plaintext, EVP_PKEY_encrypt, "EVP_PKEY_encrypt")
        }
    }

    public func decrypt(_ ciphertext: Data, scheme: EncryptionScheme) throws -> Data {
        try withContext { context in
            try check(EVP_PKEY_decrypt_init(context), "EVP_PKEY_decrypt_init")
            try configure(context, scheme)
            return try run(context, ciphertext, EVP_PKEY_decrypt, "EVP_PKEY_decrypt")
        }
    }

    private func configure(_ context: OpaquePointer, _ scheme: EncryptionScheme) throws {
        switch scheme {
        case .rsaOAEP(let digest):
            try check(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING), "set OAEP padding")
            try check(EVP_PKEY_CTX_set_rsa_oaep_md(context, try digest.method), "set OAEP digest")
            try check(EVP_PKEY_CTX_set_rsa_mgf1_md(context, try digest.method), "set MGF1 digest")
        case .sm2:
            break
        }
    }

    private func run(
        _ context: OpaquePointer, _ input: Data,
        _ operation: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int) -> Int32,
        _ step: String
    ) throws -> Data {
        try input.withUnsafeBytes { raw in
            let bytes = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var length = 0
            try check(operation(context, nil, &length, bytes, raw.count), step)
            var out = [UInt8](repeating: 0, count: length)
            try check(operation(context, &out, &length, bytes, raw.count), step)
            return Data(out.prefix(length))
        }
    }
}
