import KMSModel

extension KeyManagementService {
    /// [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html)
    /// SYMMETRIC_DEFAULT on symmetric keys; RSAES_OAEP_SHA_1/256 on RSA and SM2PKE on SM2 keys.
    public func encrypt(_ request: EncryptRequest, context: OperationContext) async throws -> EncryptResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "Encrypt")
        try requireUsable(key, for: .encryptDecrypt, operation: "Encrypt")
        let algorithm = try encryptionAlgorithm(request.encryptionAlgorithm, key: key)
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let sealed = try await seal(request.plaintext, key: key, algorithm: algorithm, encryptionContext: request.encryptionContext)
        context.keyMaterialId = sealed.materialId
        return EncryptResponse(ciphertextBlob: sealed.blob, keyId: key.reference.arn, encryptionAlgorithm: algorithm)
    }
}
