import KMSModel

extension KeyManagementService {
    /// [ReEncrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html)
    /// Decrypts under the source key and encrypts under the destination's current version; the
    /// plaintext never leaves the server. Either side may be symmetric or asymmetric.
    public func reEncrypt(_ request: ReEncryptRequest, caller: Caller) async throws -> ReEncryptResponse {
        let destination = try await resolveKey(request.destinationKeyId, .keyOrAlias, caller: caller, action: "ReEncryptTo")
        let opened = try await open(
            request.ciphertextBlob, keyId: request.sourceKeyId, algorithm: request.sourceEncryptionAlgorithm,
            context: request.sourceEncryptionContext, caller: caller, action: "ReEncryptFrom", dryRun: false)
        try requireUsable(destination, for: .encryptDecrypt, operation: "ReEncrypt")
        let algorithm = try encryptionAlgorithm(request.destinationEncryptionAlgorithm, key: destination)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await seal(
            opened.plaintext, key: destination, algorithm: algorithm, context: request.destinationEncryptionContext)
        return ReEncryptResponse(
            ciphertextBlob: sealed.blob, sourceKeyId: opened.key.reference.arn, keyId: destination.reference.arn,
            sourceEncryptionAlgorithm: opened.algorithm, destinationEncryptionAlgorithm: algorithm,
            sourceKeyMaterialId: opened.materialId, destinationKeyMaterialId: sealed.materialId)
    }
}
