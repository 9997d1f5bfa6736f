import KMSModel

extension KeyManagementService {
    /// [Decrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html)
    /// A symmetric blob names its key, so KeyId is optional and, when given, must name the same
    /// key. Asymmetric ciphertext needs the KeyId and the EncryptionAlgorithm it was made with.
    public func decrypt(_ request: DecryptRequest, context: OperationContext) async throws -> DecryptResponse {
        try validateGrantTokens(request.grantTokens)
        let opened = try await open(
            request.ciphertextBlob, keyId: request.keyId, algorithm: request.encryptionAlgorithm,
            encryptionContext: request.encryptionContext, context: context, action: "Decrypt", dryRun: request.dryRun == true)
        context.keyMaterialId = opened.materialId
        return DecryptResponse(
            keyId: opened.key.reference.arn, plaintext: opened.plaintext, encryptionAlgorithm: opened.algorithm,
            keyMaterialId: opened.materialId)
    }
}
