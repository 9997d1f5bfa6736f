import KMSCrypto
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [GenerateMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html)
    public func generateMac(_ request: GenerateMacRequest, context: OperationContext) async throws -> GenerateMacResponse {
        try validateGrantTokens(request.grantTokens)
        let (key, algorithm, material) = try await macKey(
            request.keyId, algorithm: request.macAlgorithm, context: context, operation: "GenerateMac", dryRun: request.dryRun)
        let mac = try await boundary { try material.authenticationCode(for: request.message, algorithm: algorithm) }
        return GenerateMacResponse(mac: mac, macAlgorithm: algorithm, keyId: key.reference.arn)
    }

    /// The HMAC key GenerateMac and VerifyMac name, once its usage and algorithm are checked.
    func macKey(
        _ keyId: String, algorithm requested: WireValue<MacAlgorithmSpec>, context: OperationContext, operation: String, dryRun: Bool?
    ) async throws -> (KeyRecord, MacAlgorithmSpec, HMACKeyMaterial) {
        let key = try await resolveKey(keyId, .keyOrAlias, context: context, action: operation)
        try requireUsable(key, for: .generateVerifyMac, operation: operation)
        guard let algorithm = requested.value else { throw KMSError.internalFailure }
        guard key.keySpec.macAlgorithms(for: key.keyUsage)?.contains(algorithm) == true else {
            throw KMSError.incompatibleAlgorithm(algorithm.rawValue, spec: key.keySpec)
        }
        if dryRun == true { throw KMSError.dryRunSucceeded }
        guard case .hmac(let material) = try await currentMaterial(key).material else { throw KMSError.internalFailure }
        return (key, algorithm, material)
    }
}
