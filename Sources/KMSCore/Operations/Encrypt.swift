import KMSModel

extension KeyManagementService {
    /// [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html)
    public func encrypt(_ request: EncryptRequest, context: OperationContext) async throws -> EncryptResponse {
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "Encrypt")
        try requireUsable(key, for: .encryptDecrypt, operation: "Encrypt")
        try requireSymmetricAlgorithm(request.encryptionAlgorithm, key: key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await sealSymmetric(request.plaintext, key: key, encryptionContext: request.encryptionContext)
        context.keyMaterialId = sealed.materialId
        return EncryptResponse(ciphertextBlob: sealed.blob, keyId: key.reference.arn, encryptionAlgorithm: .symmetricDefault)
    }
}
