import KMSModel

extension KeyManagementService {
    /// [DescribeKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html)
    public func describeKey(_ request: DescribeKeyRequest, context: OperationContext) async throws -> DescribeKeyResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "DescribeKey")
        return DescribeKeyResponse(keyMetadata: try await metadata(key))
    }
}
