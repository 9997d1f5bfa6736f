/// Faults of asymmetric operations that Core maps to AWS errors.
public enum AsymmetricKeyError: Error, Equatable, Sendable {
    /// Neither swift-crypto nor the system's OpenSSL 3.0 implements this (named) algorithm.
    case unavailable(String)
    /// A peer public key that does not parse, or is for another curve.
    case invalidPublicKey
    /// A ciphertext that does not decrypt under this key.
    case decryptionFailed
}
