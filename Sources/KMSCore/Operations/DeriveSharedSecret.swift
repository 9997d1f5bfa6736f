import KMSModel

extension KeyManagementService {
    /// [DeriveSharedSecret](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html)
    /// Plain ECDH between the key's private half and the peer's public key; the raw shared
    /// secret (the x-coordinate), unhashed, as AWS returns it. Callers run their own KDF.
    public func deriveSharedSecret(_ request: DeriveSharedSecretRequest, context: OperationContext) async throws -> DeriveSharedSecretResponse {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: "DeriveSharedSecret")
        try requireUsable(key, for: .keyAgreement, operation: "DeriveSharedSecret")
        guard let algorithm = request.keyAgreementAlgorithm.value else { throw KMSError.internalFailure }
        if request.recipient != nil { throw KMSError.recipientUnsupported }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let (privateKey, _) = try await privateKey(key)
        let secret = try await boundary { try privateKey.sharedSecret(peerPublicKeyDER: request.publicKey) }
        return DeriveSharedSecretResponse(
            keyId: key.reference.arn, sharedSecret: secret, keyAgreementAlgorithm: algorithm, keyOrigin: key.origin)
    }
}
