import CSodium
import Foundation

/// Ed25519ph (RFC 8032 §5.1: SHA-512 prehash, `dom2(1, "")`) from libsodium, for AWS's
/// ED25519_PH_SHA_512. Neither swift-crypto nor OpenSSL 3.0 has it (OpenSSL has it from 3.2).
public enum Ed25519ph {
    public enum Failure: Error, Equatable, Sendable {
        case libraryUnavailable
        case invalidKey
        case signingFailed
    }

    /// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
    private static let initialised: Bool = sodium_init() >= 0

    /// Signs `message` (which Ed25519ph hashes with SHA-512 first) with the key whose RFC 8032
    /// 32-byte private key (seed) is `seed`.
    public static func signature(for message: Data, seed: Data) throws -> Data {
        guard initialised else { throw Failure.libraryUnavailable }
        guard seed.count == Int(crypto_sign_ed25519_SEEDBYTES) else { throw Failure.invalidKey }
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_PUBLICKEYBYTES))
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_SECRETKEYBYTES))
        defer { sodium_memzero(&secretKey, secretKey.count) }
        var seedBytes = Array(seed)
        defer { sodium_memzero(&seedBytes, seedBytes.count) }
        guard crypto_sign_ed25519_seed_keypair(&publicKey, &secretKey, seedBytes) == 0 else { throw Failure.invalidKey }
        var state = crypto_sign_ed25519ph_state()
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_ed25519_BYTES))
        var length: UInt64 = 0
        guard crypto_sign_ed25519ph_init(&state) == 0 else { throw Failure.signingFailed }
        _ = message.withUnsafeBytes { crypto_sign_ed25519ph_update(&state, $0.bindMemory(to: UInt8.self).baseAddress, UInt64($0.count)) }
        guard crypto_sign_ed25519ph_final_create(&state, &signature, &length, secretKey) == 0 else { throw Failure.signingFailed }
        return Data(signature.prefix(Int(length)))
    }

    /// Whether `signature` is a valid Ed25519ph signature of `message` under the raw 32-byte public key.
    public static func isValidSignature(_ signature: Data, for message: Data, publicKey: Data) -> Bool {
        guard initialised, signature.count == Int(crypto_sign_ed25519_BYTES),
            publicKey.count == Int(crypto_sign_ed25519_PUBLICKEYBYTES)
        else { return false }
        var state = crypto_sign_ed25519ph_state()
        guard crypto_sign_ed25519ph_init(&state) == 0 else { return false }
        _ = message.withUnsafeBytes { crypto_sign_ed25519ph_update(&state, $0.bindMemory(to: UInt8.self).baseAddress, UInt64($0.count)) }
        var signatureBytes = Array(signature)
        return crypto_sign_ed25519ph_final_verify(&state, &signatureBytes, Array(publicKey)) == 0
    }
}
