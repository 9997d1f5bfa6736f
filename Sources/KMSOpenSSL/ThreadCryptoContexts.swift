import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread's libcrypto contexts for the per-request HMACs and message ciphers, made on the
/// thread's first use and rekeyed for each one after: making and freeing them per message cost
/// about 30 allocations per seal. A thread runs one computation at a time on them (nothing in
/// one suspends), so no lock.
///
/// Contexts freed per message were wiped by libcrypto at once. These hold the last use's keyed
/// state until the next use rekeys them: one message's derived key, or the HMAC state of a
/// SigV4 signing key, which the signing-key cache and the credential store already hold in
/// memory. They are freed, and wiped, when the thread exits.
final class ThreadCryptoContexts {
    /// HMAC with SHA-256 (`EVP_MAC_CTX`), keyed by each `EVP_MAC_init`.
    let hmacSHA256: OpaquePointer
    /// AES-256-GCM (`EVP_CIPHER_CTX`), its cipher set once; each message sets key and nonce.
    let aes256GCM: OpaquePointer

    private init() {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil), let hmac = EVP_MAC_CTX_new(mac) else {
            fatalError("libcrypto has no HMAC: \(OpenSSLError("EVP_MAC_fetch(HMAC)"))")
        }
        EVP_MAC_free(mac)  // the context holds its own reference
        // OSSL_PARAM keeps the pointers it is given: static strings, which live for the process.
        func cString(_ text: StaticString) -> UnsafeMutablePointer<CChar> {
            UnsafeMutableRawPointer(mutating: text.utf8Start).assumingMemoryBound(to: CChar.self)
        }
        var parameters = [
            OSSL_PARAM_construct_utf8_string(cString("digest"), cString("SHA256"), 0),
            OSSL_PARAM_construct_end(),
        ]
        guard EVP_MAC_CTX_set_params(hmac, &parameters) == 1 else {
            fatalError("libcrypto has no HMAC-SHA256: \(OpenSSLError("EVP_MAC_CTX_set_params"))")
        }
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), let gcm = EVP_CIPHER_CTX_new(),
            EVP_CipherInit_ex2(gcm, cipher, nil, nil, -1, nil) == 1
        else {
            fatalError("libcrypto has no AES-256-GCM: \(OpenSSLError("EVP_CIPHER_fetch(AES-256-GCM)"))")
        }
        EVP_CIPHER_free(cipher)  // as above
        hmacSHA256 = hmac
        aes256GCM = gcm
    }

    deinit {
        EVP_MAC_CTX_free(hmacSHA256)
        EVP_CIPHER_CTX_free(aes256GCM)
    }

    /// This thread's contexts.
    static func current() -> ThreadCryptoContexts {
        if let existing = pthread_getspecific(key) {
            return Unmanaged<ThreadCryptoContexts>.fromOpaque(existing).takeUnretainedValue()
        }
        let contexts = ThreadCryptoContexts()
        pthread_setspecific(key, Unmanaged.passRetained(contexts).toOpaque())
        return contexts
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ThreadCryptoContexts>.fromOpaque(pointer).release()
        }
        precondition(created == 0, "pthread_key_create failed: \(created)")
        return key
    }()
}
