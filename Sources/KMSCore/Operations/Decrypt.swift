import KMSModel

extension KeyManagementService {
    /// [Decrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html)
    /// The blob names its key; KeyId is optional and, when given, must name the same key.
    public func decrypt(_ request: DecryptRequest, context: OperationContext) async throws -> DecryptResponse {
        let opened = try await openSymmetric(
            request.ciphertextBlob, encryptionContext: request.encryptionContext, expectedKeyId: request.keyId, context: context,
            action: "Decrypt")
        try requireSymmetricAlgorithm(request.encryptionAlgorithm, key: opened.key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        context.keyMaterialId = opened.materialId
        return DecryptResponse(
            keyId: opened.key.reference.arn, plaintext: opened.plaintext, encryptionAlgorithm: .symmetricDefault,
            keyMaterialId: opened.materialId)
    }
}
