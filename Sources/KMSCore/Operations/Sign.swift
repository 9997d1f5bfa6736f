import KMSModel

extension KeyManagementService {
    /// [Sign](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html)
    public func sign(_ request: SignRequest, context: OperationContext) async throws -> SignResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "Sign")
        try requireUsable(key, for: .signVerify, operation: "Sign")
        let (algorithm, messageType) = try signingParameters(
            request.signingAlgorithm, messageType: request.messageType, message: request.message, key: key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let (privateKey, _) = try await privateKey(key)
        let signature = try await boundary {
            try privateKey.sign(request.message, algorithm: algorithm, messageType: messageType)
        }
        return SignResponse(keyId: key.reference.arn, signature: signature, signingAlgorithm: algorithm)
    }
}
