/// STS answers in AWS's query protocol, whose error codes are not the JSON protocol's: the same
/// fault is `UnrecognizedClientException` from KMS and `InvalidClientTokenId` from STS.
/// [STS common errors](https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html)
extension KMSErrorCode {
    /// The `<Code>` STS answers this fault with.
    public var queryProtocolCode: String {
        switch self {
        case .unknownOperation: "InvalidAction"
        case .serialization, .validation: "ValidationError"
        case .missingAuthenticationToken: "MissingAuthenticationToken"
        case .incompleteSignature: "IncompleteSignature"
        case .invalidSignature: "SignatureDoesNotMatch"
        case .unrecognizedClient: "InvalidClientTokenId"
        case .expiredToken: "ExpiredToken"
        case .accessDenied: "AccessDenied"
        case .requestEntityTooLarge: "RequestEntityTooLarge"
        case .internalFailure: "InternalFailure"
        default: rawValue
        }
    }

    /// The HTTP status STS answers this fault with: 403 for refused credentials and access,
    /// 400 for other faults of the request, 500 for its own.
    public var queryProtocolStatus: Int {
        switch self {
        case .missingAuthenticationToken, .invalidSignature, .unrecognizedClient, .expiredToken, .accessDenied: 403
        case .requestEntityTooLarge: 413
        case .internalFailure: 500
        default: 400
        }
    }

    /// `<Type>`: `Receiver` for the service's own faults, `Sender` for the caller's.
    public var queryProtocolFaultType: String { self == .internalFailure ? "Receiver" : "Sender" }
}
