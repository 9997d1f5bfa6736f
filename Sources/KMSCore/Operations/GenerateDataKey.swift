import Foundation
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [GenerateDataKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html)
    public func generateDataKey(_ request: GenerateDataKeyRequest, context: OperationContext) async throws -> GenerateDataKeyResponse {
        let (key, plaintext, sealed) = try await makeDataKey(request, context: context, action: "GenerateDataKey")
        return GenerateDataKeyResponse(
            ciphertextBlob: sealed.blob, plaintext: plaintext, keyId: key.reference.arn, keyMaterialId: sealed.materialId)
    }

    /// [GenerateDataKeyWithoutPlaintext](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html)
    public func generateDataKeyWithoutPlaintext(
        _ request: GenerateDataKeyWithoutPlaintextRequest, context: OperationContext
    ) async throws -> GenerateDataKeyWithoutPlaintextResponse {
        let (key, _, sealed) = try await makeDataKey(request, context: context, action: "GenerateDataKeyWithoutPlaintext")
        return GenerateDataKeyWithoutPlaintextResponse(
            ciphertextBlob: sealed.blob, keyId: key.reference.arn, keyMaterialId: sealed.materialId)
    }

    private func makeDataKey(
        _ request: GenerateDataKeyRequest, context: OperationContext, action: String
    ) async throws -> (KeyRecord, Data, Sealed) {
        try validateGrantTokens(request.grantTokens)
        let length: Int
        switch (request.keySpec?.value, request.numberOfBytes) {
        case (let spec?, nil): length = spec.byteCount
        case (nil, let count?): length = count
        case (.some, .some):
            throw KMSError(.validation, "Please specify either number of bytes or key spec.")
        case (nil, nil):
            throw KMSError(.validation, "Please specify either number of bytes or key spec.")
        }
        let key = try await resolveKey(request.keyId, .keyOrAlias, context: context, action: action)
        try requireUsable(key, for: .encryptDecrypt, operation: action)
        guard key.keySpec == .symmetricDefault else {
            throw KMSError.invalidKeyUsage(key.reference.arn, usage: key.keyUsage, operation: action)
        }
        if request.dryRun == true { throw KMSError.dryRunSucceeded }
        let plaintext = randomBytes(length)
        let sealed = try await sealSymmetric(plaintext, key: key, encryptionContext: request.encryptionContext)
        context.keyMaterialId = sealed.materialId
        return (key, plaintext, sealed)
    }
}
