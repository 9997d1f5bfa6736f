import KMSModel

extension KeyManagementService {
    /// [ReEncrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html)
    /// Decrypts under the source key and encrypts under the destination's current version; the
    /// plaintext never leaves the server. Either side may be symmetric or asymmetric. The source
    /// is opened first, so the record's resources name the source key, then the destination.
    public func reEncrypt(_ request: ReEncryptRequest, context: OperationContext) async throws -> ReEncryptResponse {
        try validateGrantTokens(request.grantTokens)
        let opened = try await open(
            request.ciphertextBlob, keyId: request.sourceKeyId, algorithm: request.sourceEncryptionAlgorithm,
            encryptionContext: request.sourceEncryptionContext, context: context, action: "ReEncryptFrom", dryRun: false)
        let destination = try await resolveKey(request.destinationKeyId, .keyOrAlias, context: context, action: "ReEncryptTo")
        try requireUsable(destination, for: .encryptDecrypt, operation: "ReEncrypt")
        let algorithm = try encryptionAlgorithm(request.destinationEncryptionAlgorithm, key: destination)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await seal(
            opened.plaintext, key: destination, algorithm: algorithm, encryptionContext: request.destinationEncryptionContext)
        return ReEncryptResponse(
            ciphertextBlob: sealed.blob, sourceKeyId: opened.key.reference.arn, keyId: destination.reference.arn,
            sourceEncryptionAlgorithm: opened.algorithm, destinationEncryptionAlgorithm: algorithm,
            sourceKeyMaterialId: opened.materialId, destinationKeyMaterialId: sealed.materialId)
    }
}
