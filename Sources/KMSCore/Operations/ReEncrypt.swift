import KMSModel

extension KeyManagementService {
    /// [ReEncrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html)
    /// Decrypts under the source key and encrypts under the destination's current version; the
    /// plaintext never leaves the server.
    public func reEncrypt(_ request: ReEncryptRequest, context: OperationContext) async throws -> ReEncryptResponse {
        let opened = try await openSymmetric(
            request.ciphertextBlob, encryptionContext: request.sourceEncryptionContext, expectedKeyId: request.sourceKeyId,
            context: context, action: "ReEncryptFrom")
        try requireSymmetricAlgorithm(request.sourceEncryptionAlgorithm, key: opened.key)
        let destination = try await resolveKey(request.destinationKeyId, .keyOrAlias, context: context, action: "ReEncryptTo")
        try requireUsable(destination, for: .encryptDecrypt, operation: "ReEncrypt")
        try requireSymmetricAlgorithm(request.destinationEncryptionAlgorithm, key: destination)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await sealSymmetric(
            opened.plaintext, key: destination, encryptionContext: request.destinationEncryptionContext)
        return ReEncryptResponse(
            ciphertextBlob: sealed.blob, sourceKeyId: opened.key.reference.arn, keyId: destination.reference.arn,
            sourceEncryptionAlgorithm: .symmetricDefault, destinationEncryptionAlgorithm: .symmetricDefault,
            sourceKeyMaterialId: opened.materialId, destinationKeyMaterialId: sealed.materialId)
    }
}
