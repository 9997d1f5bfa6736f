import KMSModel

extension KeyManagementService {
    /// [VerifyMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html)
    /// A matching MAC answers MacValid true; any other is KMSInvalidMacException.
    public func verifyMac(_ request: VerifyMacRequest, context: OperationContext) async throws -> VerifyMacResponse {
        try validateGrantTokens(request.grantTokens)
        let (key, algorithm, material) = try await macKey(
            request.keyId, algorithm: request.macAlgorithm, context: context, operation: "VerifyMac", dryRun: request.dryRun)
        let valid = try await boundary { try material.isValid(request.mac, for: request.message, algorithm: algorithm) }
        guard valid else { throw KMSError.invalidMac }
        return VerifyMacResponse(keyId: key.reference.arn, macValid: true, macAlgorithm: algorithm)
    }
}
