import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [GenerateDataKeyPair](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html)
    public func generateDataKeyPair(_ request: GenerateDataKeyPairRequest, context: OperationContext) async throws -> GenerateDataKeyPairResponse {
        let pair = try await makeDataKeyPair(request, context: context, action: "GenerateDataKeyPair")
        return GenerateDataKeyPairResponse(
            privateKeyCiphertextBlob: pair.sealed.blob, privateKeyPlaintext: pair.privateKey, publicKey: pair.publicKey,
            keyId: pair.key.reference.arn, keyPairSpec: pair.spec, keyMaterialId: pair.sealed.materialId)
    }

    /// [GenerateDataKeyPairWithoutPlaintext](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html)
    public func generateDataKeyPairWithoutPlaintext(
        _ request: GenerateDataKeyPairWithoutPlaintextRequest, context: OperationContext
    ) async throws -> GenerateDataKeyPairWithoutPlaintextResponse {
        let pair = try await makeDataKeyPair(request, context: context, action: "GenerateDataKeyPairWithoutPlaintext")
        return GenerateDataKeyPairWithoutPlaintextResponse(
            privateKeyCiphertextBlob: pair.sealed.blob, publicKey: pair.publicKey, keyId: pair.key.reference.arn,
            keyPairSpec: pair.spec, keyMaterialId: pair.sealed.materialId)
    }

    private struct DataKeyPair {
        var key: KeyRecord
        var spec: DataKeyPairSpec
        var privateKey: Data
        var publicKey: Data
        var sealed: Sealed
    }

    /// A fresh key pair; its PKCS#8 private key is sealed under a symmetric encryption key, so
    /// Decrypt of the blob returns exactly the PKCS#8 bytes.
    private func makeDataKeyPair(_ request: GenerateDataKeyPairRequest, context: OperationContext, action: String) async throws -> DataKeyPair {
        try validateGrantTokens(request.grantTokens)
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: action)
        try requireUsable(key, for: .encryptDecrypt, operation: action)
        guard key.keySpec == .symmetricDefault else {
            throw KMSError.invalidKeyUsage(key.reference.arn, usage: key.keyUsage, operation: action)
        }
        guard let spec = request.keyPairSpec.value else { throw KMSError.internalFailure }
        if request.recipient != nil { throw KMSError.recipientUnsupported }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let (privateKey, publicKey) = try await boundary {
            let pair = try AsymmetricPrivateKey.generate(spec.keySpec)
            return (try pair.pkcs8DER(), try pair.publicKeyDER())
        }
        let sealed = try await sealSymmetric(privateKey, key: key, encryptionContext: request.encryptionContext)
        return DataKeyPair(key: key, spec: spec, privateKey: privateKey, publicKey: publicKey, sealed: sealed)
    }
}
