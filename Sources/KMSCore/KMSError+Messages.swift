import KMSCrypto
import KMSModel
import KMSStorage

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

    /// An operation only a multi-Region primary key takes (ReplicateKey, UpdatePrimaryRegion,
    /// the rotation operations), called on a replica. The text is the one AWS clients match on
    /// for UpdatePrimaryRegion ("is not a multi-Region primary key"); AWS does not publish it.
    static func notMultiRegionPrimary(_ arn: String) -> KMSError {
        KMSError(.unsupportedOperation, "\(arn) is not a multi-Region primary key.")
    }

    static func invalidState(_ arn: String, _ state: KeyState) -> KMSError {
        switch state {
        case .pendingDeletion: pendingDeletion(arn)
        case .pendingImport: KMSError(.invalidState, "\(arn) is pending import.")
        // Worded after AWS's "is pending deletion." and "is pending import."; AWS's own text for
        // this state is not published.
        case .pendingReplicaDeletion: KMSError(.invalidState, "\(arn) is pending replica deletion.")
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

// MARK: Key policies and grants

extension KMSError {
    /// A policy that is not JSON: AWS's answer carries no message (aws/aws-sdk-ruby#1784).
    static let malformedPolicyDocument = KMSError(.malformedPolicyDocument, "")

    /// For the policy evaluator: a policy that would keep its caller from changing it again.
    /// AWS's text, as terraform and CloudFormation users report it.
    public static let policyLockout = KMSError(
        .malformedPolicyDocument, "The new key policy will not allow you to update the key policy in the future.")

    /// For the policy evaluator: a statement naming a principal that does not exist.
    /// AWS's text (AWS knowledge center, kms-policy-error-invalid-principals).
    public static let invalidPolicyPrincipals = KMSError(
        .malformedPolicyDocument, "Policy contains a statement with one or more invalid principals.")

    /// AWS documents LimitExceededException for a key policy past its size; the text is Trent's,
    /// in the words IAM uses for its own policy size quotas.
    static let keyPolicyTooLarge = KMSError(.limitExceeded, "Cannot exceed quota for PolicySize: \(maximumKeyPolicyBytes)")

    /// The only key policy name is `default`. (Trent's texts.)
    static let keyPolicyNotFound = KMSError(.notFound, "No such policy exists")
    static let keyPolicyNameUnsupported = KMSError(.unsupportedOperation, "Only default policy is supported")

    /// The model's description of InvalidGrantTokenException; AWS's wire text is not known.
    static let invalidGrantToken = KMSError(.invalidGrantToken, "The request was rejected because the specified grant token is not valid.")

    /// The model's description of InvalidGrantIdException.
    static let invalidGrantId = KMSError(.invalidGrantId, "The request was rejected because the specified GrantId is not valid.")

    /// RevokeGrant and RetireGrant of a grant the key does not have (Trent's text).
    static func grantNotFound(_ grantId: String) -> KMSError {
        KMSError(.notFound, "Grant ID \(grantId) not found")
    }

    /// CreateGrant names its key by key id or key ARN only (AWS's text, boto/boto#3202).
    static let grantKeyAlias = KMSError(.invalidArn, "Key Aliases are not supported for this operation.")

    /// A grantee or retiring principal that is no principal at all (Trent's text).
    static func invalidPrincipal(_ principal: String) -> KMSError {
        KMSError(.invalidArn, "ARN does not refer to a valid principal: \(principal)")
    }

    /// AWS's text (ansible/ansible#31960).
    static let grantOfCreateGrantOnly = KMSError(.validation, "Grants must not contain only the CreateGrant operation.")

    static let grantWithoutOperations = KMSError(.validation, "Grants must contain at least one operation.")

    /// The CreateGrant reference: a grant may not allow what its key cannot do. (Trent's text.)
    static func grantOperationsUnsupported(_ operations: [GrantOperation], key: KeyRecord) -> KMSError {
        KMSError(
            .validation,
            "Grant operations [" + operations.map(\.rawValue).joined(separator: ", ") + "] are not supported by "
                + "\(key.reference.arn) (KeySpec \(key.keySpec.rawValue), KeyUsage \(key.keyUsage.rawValue)).")
    }

    /// AWS's text for EncryptionContextEquals and EncryptionContextSubset together (aws/aws-sdk-java#328).
    static let moreThanOneGrantConstraint = KMSError(.validation, "More than one constraint supplied")

    /// Encryption context constraints apply only to operations that take an encryption context,
    /// on symmetric encryption keys. (Trent's text.)
    static func grantConstraintUnsupported(_ operations: [GrantOperation]) -> KMSError {
        KMSError(
            .validation,
            "Encryption context grant constraints are not supported for the operations ["
                + operations.map(\.rawValue).joined(separator: ", ") + "], which take no encryption context.")
    }

    /// AWS's documented limits on one constraint (Trent's text).
    static let grantConstraintTooLarge = KMSError(
        .validation,
        "A grant constraint can have at most 8 encryption context pairs of at most 384 characters in all.")

    /// RetireGrant needs a token, or a key and a grant id.
    static let retireGrantUnnamed = KMSError(.validation, "Grant token OR (grant ID, key ID) must be specified")
}
