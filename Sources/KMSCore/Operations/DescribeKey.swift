import KMSModel

extension KeyManagementService {
    /// [DescribeKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html)
    public func describeKey(_ request: DescribeKeyRequest, caller: Caller) async throws -> DescribeKeyResponse {
        let key = try await resolveKey(request.keyId, .keyOrAlias, caller: caller, action: "DescribeKey")
        return DescribeKeyResponse(keyMetadata: try await metadata(key))
    }
}
