import KMSModel

extension KeyManagementService {
    /// [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html)
    public func encrypt(_ request: EncryptRequest, caller: Caller) async throws -> EncryptResponse {
        let key = try await resolveKey(request.keyId, .keyOrAlias, caller: caller, action: "Encrypt")
        try requireUsable(key, for: .encryptDecrypt, operation: "Encrypt")
        try requireSymmetricAlgorithm(request.encryptionAlgorithm, key: key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await sealSymmetric(request.plaintext, key: key, context: request.encryptionContext)
        return EncryptResponse(ciphertextBlob: sealed.blob, keyId: key.reference.arn, encryptionAlgorithm: .symmetricDefault)
    }
}
