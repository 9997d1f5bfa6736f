/// An error as AWS KMS reports it on the wire: a `__type` name and a message.
///
/// Lower layers throw their own small errors; `KMSCore` maps them to a `KMSError` at its
/// boundary, and the HTTP layer renders it as `{"__type": …, "message": …}`.
public struct KMSError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: KMSErrorCode
    public let message: String

    public init(_ code: KMSErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The `__type` names AWS KMS answers with. Raw values are the wire names, verbatim.
public enum KMSErrorCode: String, Sendable, CaseIterable {
    // Request-level faults, raised before an operation runs.
    case unknownOperation = "UnknownOperationException"
    case serialization = "SerializationException"
    case validation = "ValidationException"
    case missingAuthenticationToken = "MissingAuthenticationTokenException"
    case incompleteSignature = "IncompleteSignatureException"
    case invalidSignature = "InvalidSignatureException"
    case unrecognizedClient = "UnrecognizedClientException"
    /// Temporary credentials (a session token) past their expiration.
    case expiredToken = "ExpiredTokenException"
    case accessDenied = "AccessDeniedException"
    case requestEntityTooLarge = "RequestEntityTooLargeException"

    // Operation faults, as listed in the KMS API reference.
    case alreadyExists = "AlreadyExistsException"
    /// RotateKeyOnDemand while another rotation of the key is under way.
    case conflict = "ConflictException"
    case disabled = "DisabledException"
    case incorrectKey = "IncorrectKeyException"
    case invalidAliasName = "InvalidAliasNameException"
    case invalidArn = "InvalidArnException"
    case invalidCiphertext = "InvalidCiphertextException"
    case invalidGrantToken = "InvalidGrantTokenException"
    /// ListGrants, RetireGrant, RevokeGrant: a GrantId that is not a grant id at all.
    case invalidGrantId = "InvalidGrantIdException"
    /// A key policy that is not a JSON policy document (or, once enforced, would lock its caller out).
    case malformedPolicyDocument = "MalformedPolicyDocumentException"
    case invalidKeyUsage = "InvalidKeyUsageException"
    case invalidMarker = "InvalidMarkerException"
    case invalidState = "KMSInvalidStateException"
    /// Verify's answer to a signature that does not verify (not SigV4's InvalidSignatureException).
    case kmsInvalidSignature = "KMSInvalidSignatureException"
    /// VerifyMac's answer to a MAC that does not verify.
    case kmsInvalidMac = "KMSInvalidMacException"
    case internalFailure = "KMSInternalException"
    case limitExceeded = "LimitExceededException"
    case notAuthorized = "NotAuthorizedException"
    case notFound = "NotFoundException"
    case tag = "TagException"
    case unsupportedOperation = "UnsupportedOperationException"
    case dryRunOperation = "DryRunOperationException"
    /// ImportKeyMaterial: a token that is not one of this key's, or not a token at all.
    case invalidImportToken = "InvalidImportTokenException"
    /// ImportKeyMaterial: a token past its 24 hours.
    case expiredImportToken = "ExpiredImportTokenException"
    /// ImportKeyMaterial: material of the wrong length, or not the material the key had before.
    case incorrectKeyMaterial = "IncorrectKeyMaterialException"

    /// AWS answers client faults with 400 and its own failures with 500.
    public var httpStatus: Int {
        switch self {
        case .internalFailure: 500
        case .requestEntityTooLarge: 413
        default: 400
        }
    }
}
