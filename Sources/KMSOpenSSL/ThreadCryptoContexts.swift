import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread's libcrypto context for the per-request message cipher, made on the thread's first
/// use and rekeyed for each message after: making and freeing one per message cost about 30
/// allocations per seal. A thread runs one computation at a time on it (nothing in one
/// suspends), so no lock.
///
/// A context freed per message was wiped by libcrypto at once. This one holds the last message's
/// derived key until the next message rekeys it. It is freed, and wiped, when the thread exits.
final class ThreadCryptoContexts {
    /// AES-256-GCM (`EVP_CIPHER_CTX`), its cipher set once; each message sets key and nonce.
    let aes256GCM: OpaquePointer

    private init() {
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), let gcm = EVP_CIPHER_CTX_new(),
            EVP_CipherInit_ex2(gcm, cipher, nil, nil, -1, nil) == 1
        else {
            fatalError("libcrypto has no AES-256-GCM: \(OpenSSLError("EVP_CIPHER_fetch(AES-256-GCM)"))")
        }
        EVP_CIPHER_free(cipher)  // the context holds its own reference
        aes256GCM = gcm
    }

    deinit {
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
