import KMSModel

extension KeyManagementService {
    /// [GetPublicKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html)
    /// The DER SubjectPublicKeyInfo of an asymmetric key, with what it may be used for.
    public func getPublicKey(_ request: GetPublicKeyRequest, context: OperationContext) async throws -> GetPublicKeyResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "GetPublicKey")
        try requireUsable(key, for: key.keyUsage, operation: "GetPublicKey")
        guard key.keySpec.isAsymmetric else { throw KMSError.notAsymmetric(key.reference.arn, spec: key.keySpec) }
        let (privateKey, _) = try await privateKey(key)
        let publicKey = try await boundary { try privateKey.publicKeyDER() }
        return GetPublicKeyResponse(
            keyId: key.reference.arn, publicKey: publicKey, keySpec: key.keySpec, keyUsage: key.keyUsage,
            encryptionAlgorithms: key.keySpec.encryptionAlgorithms(for: key.keyUsage),
            signingAlgorithms: key.keySpec.signingAlgorithms(for: key.keyUsage),
            keyAgreementAlgorithms: key.keySpec.keyAgreementAlgorithms(for: key.keyUsage))
    }
}
