import KMSCrypto
import KMSModel

/// AWS's message texts, in one place so they can be checked against the API reference together.
extension KMSError {
    static func keyNotFound(_ arn: String) -> KMSError {
        KMSError(.notFound, "Key '\(arn)' does not exist")
    }

    static func aliasNotFound(_ arn: String) -> KMSError {
        KMSError(.notFound, "Alias \(arn) is not found.")
    }

    static func invalidKeyId(_ text: String) -> KMSError {
        KMSError(.notFound, "Invalid keyId '\(text)'")
    }

    /// A key ARN naming another Region than the endpoint's.
    static func invalidArnRegion(_ region: String) -> KMSError {
        KMSError(.notFound, "Invalid arn \(region)")
    }

    static func disabled(_ arn: String) -> KMSError {
        KMSError(.disabled, "\(arn) is disabled.")
    }

    static func pendingDeletion(_ arn: String) -> KMSError {
        KMSError(.invalidState, "\(arn) is pending deletion.")
    }

    static func invalidState(_ arn: String, _ state: KeyState) -> KMSError {
        switch state {
        case .pendingDeletion: pendingDeletion(arn)
        case .pendingImport: KMSError(.invalidState, "\(arn) is pending import.")
        default: KMSError(.invalidState, "\(arn) is \(state.rawValue.lowercased()).")
        }
    }

    static func accessDenied(_ caller: Caller, action: String, resource: String) -> KMSError {
        KMSError(
            .accessDenied,
            "User: \(caller.principalArn) is not authorized to perform: kms:\(action) on resource: \(resource) "
                + "because no resource-based policy allows the kms:\(action) action")
    }

    static func invalidKeyUsage(_ arn: String, usage: KeyUsage, operation: String) -> KMSError {
        KMSError(.invalidKeyUsage, "\(arn) key usage is \(usage.rawValue) which is not valid for \(operation).")
    }

    /// AWS sends this one with no message at all, so nothing about the blob leaks.
    static let invalidCiphertext = KMSError(.invalidCiphertext, "")

    static let invalidMarker = KMSError(.invalidMarker, "")

    static let incorrectKey = KMSError(
        .incorrectKey, "The key ID in the request does not identify a CMK that can perform this operation.")

    static let dryRunSucceeded = KMSError(.dryRunOperation, "The request would have succeeded, but the DryRun option is set.")

    static let internalFailure = KMSError(.internalFailure, "An internal error occurred.")

    // MARK: Asymmetric, HMAC and key agreement keys

    /// A signing, MAC or key agreement algorithm the key's spec does not list.
    static func incompatibleAlgorithm(_ algorithm: String, spec: KeySpec) -> KMSError {
        KMSError(.invalidKeyUsage, "Algorithm \(algorithm) is incompatible with key spec \(spec.rawValue).")
    }

    /// An encryption algorithm the key does not support (SYMMETRIC_DEFAULT on an RSA key, …).
    static func unsupportedEncryptionAlgorithm(_ supported: [EncryptionAlgorithmSpec]) -> KMSError {
        KMSError(
            .invalidKeyUsage,
            "The requested algorithm is not supported by the key. Supported algorithms: ["
                + supported.map(\.rawValue).joined(separator: ", ") + "]")
    }

    static func messageTypeIncompatible(_ type: MessageType, spec: KeySpec) -> KMSError {
        KMSError(.validation, "Message type \(type.rawValue) is incompatible with key spec \(spec.rawValue).")
    }

    static func messageTypeIncompatible(_ type: MessageType, algorithm: SigningAlgorithmSpec) -> KMSError {
        KMSError(.validation, "Message type \(type.rawValue) is incompatible with algorithm \(algorithm.rawValue).")
    }

    static func invalidDigestLength(_ algorithm: SigningAlgorithmSpec) -> KMSError {
        KMSError(.validation, "Digest is invalid length for algorithm \(algorithm.rawValue).")
    }

    static func invalidExternalMuLength(_ algorithm: SigningAlgorithmSpec) -> KMSError {
        KMSError(.validation, "External Mu is invalid length for algorithm \(algorithm.rawValue).")
    }

    /// AWS's text for an oversized asymmetric plaintext.
    static func plaintextTooLarge(_ algorithm: EncryptionAlgorithmSpec, spec: KeySpec, limit: Int) -> KMSError {
        KMSError(
            .validation,
            "Algorithm \(algorithm.rawValue) and key spec \(spec.rawValue) cannot encrypt data larger than \(limit) bytes.")
    }

    /// Asymmetric keys bind no encryption context; accepting one silently would promise a binding
    /// that does not exist.
    static let encryptionContextWithAsymmetricKey = KMSError(
        .validation, "EncryptionContext is not supported with asymmetric KMS keys.")

    static func notAsymmetric(_ arn: String, spec: KeySpec) -> KMSError {
        KMSError(.unsupportedOperation, "\(arn) has key spec \(spec.rawValue), which has no public key.")
    }

    /// Nitro Enclave recipients need attestation-document checks Trent does not have.
    static let recipientUnsupported = KMSError(
        .unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")

    /// Verify and VerifyMac answer a mismatch with an exception, not `false`, and say nothing more.
    static let invalidSignature = KMSError(.kmsInvalidSignature, "")
    static let invalidMac = KMSError(.kmsInvalidMac, "")

    /// Lower-layer asymmetric faults, as AWS reports their kind.
    init(_ error: AsymmetricKeyError) {
        switch error {
        case .unavailable(let what):
            self.init(
                .unsupportedOperation,
                "\(what) is not supported by this server: neither swift-crypto nor the system's OpenSSL 3.0 implements it.")
        case .invalidPublicKey:
            self.init(.validation, "PublicKey is not a valid DER-encoded SubjectPublicKeyInfo for this key's curve.")
        case .decryptionFailed:
            self = .invalidCiphertext
        }
    }
}
