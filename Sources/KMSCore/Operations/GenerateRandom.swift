import KMSModel

extension KeyManagementService {
    /// [GenerateRandom](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html)
    public func generateRandom(_ request: GenerateRandomRequest, context: OperationContext) async throws -> GenerateRandomResponse {
        try await authorizeWithoutKey("GenerateRandom", context: context)
        guard let count = request.numberOfBytes else {
            throw KMSError(.validation, "NumberOfBytes is required.")
        }
        if request.customKeyStoreId != nil {
            throw KMSError(.unsupportedOperation, "Custom key stores are not supported by this server.")
        }
        return GenerateRandomResponse(plaintext: randomBytes(count))
    }
}
