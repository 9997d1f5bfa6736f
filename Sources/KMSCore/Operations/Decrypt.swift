import KMSModel

extension KeyManagementService {
    /// [Decrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html)
    /// The blob names its key; KeyId is optional and, when given, must name the same key.
    public func decrypt(_ request: DecryptRequest, caller: Caller) async throws -> DecryptResponse {
        let opened = try await openSymmetric(
            request.ciphertextBlob, context: request.encryptionContext, expectedKeyId: request.keyId, caller: caller,
            action: "Decrypt")
        try requireSymmetricAlgorithm(request.encryptionAlgorithm, key: opened.key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        return DecryptResponse(
            keyId: opened.key.reference.arn, plaintext: opened.plaintext, encryptionAlgorithm: .symmetricDefault,
            keyMaterialId: opened.materialId)
    }
}
