/// Why a request's signature was refused. The HTTP layer renders each as AWS does.
public enum SigV4Failure: Error, Sendable, Equatable {
    /// No `Authorization` header at all (`MissingAuthenticationTokenException`).
    case missingAuthentication
    /// The header is there but lacks parts (`IncompleteSignatureException`).
    case incompleteSignature(String)
    /// The signature, its scope or its time is wrong (`InvalidSignatureException`).
    case invalidSignature(String)

    public static let mismatchMessage =
        "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
}
