import KMSModel

extension KeyManagementService {
    /// [Verify](https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html)
    /// A valid signature answers SignatureValid true; any other is KMSInvalidSignatureException.
    public func verify(_ request: VerifyRequest, context: OperationContext) async throws -> VerifyResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "Verify")
        try requireUsable(key, for: .signVerify, operation: "Verify")
        let (algorithm, messageType) = try signingParameters(
            request.signingAlgorithm, messageType: request.messageType, message: request.message, key: key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let (privateKey, _) = try await privateKey(key)
        let valid = try await boundary {
            try privateKey.isValidSignature(request.signature, for: request.message, algorithm: algorithm, messageType: messageType)
        }
        guard valid else { throw KMSError.invalidSignature }
        return VerifyResponse(keyId: key.reference.arn, signatureValid: true, signingAlgorithm: algorithm)
    }
}
