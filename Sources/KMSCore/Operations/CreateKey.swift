import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [CreateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html)
    public func createKey(_ request: CreateKeyRequest, context: OperationContext) async throws -> CreateKeyResponse {
        try await authorizeWithoutKey("CreateKey", context: context)
        let spec = try createKeySpec(request)
        let usage = try createKeyUsage(request, spec: spec)
        let origin = request.origin?.value ?? .awsKMS
        switch origin {
        case .awsKMS: break
        case .external:
            // AWS imports no ML-DSA key, and lists no Ed25519 import.
            guard ImportedKeyMaterial.isImportable(spec) else {
                throw KMSError(.unsupportedOperation, "Importing key material for \(spec.rawValue) keys is not supported.")
            }
        case .awsCloudHSM, .externalKeyStore:
            throw KMSError(.unsupportedOperation, "Origin \(origin.rawValue) is not supported by this server.")
        }
        if request.customKeyStoreId != nil || request.xksKeyId != nil {
            throw KMSError(.unsupportedOperation, "Custom key stores are not supported by this server.")
        }
        let multiRegion = request.multiRegion == true
        // Every key spec may be multi-Region, as in AWS, imported ones included: an EXTERNAL
        // primary starts PendingImport, and each replica takes the same material by its own import.
        // [Importing key material into multi-Region keys](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-import.html)
        try validateTags(request.tags ?? [])
        let policy = try request.policy.map(parseKeyPolicy)

        let now = clock.now()
        let reference = KeyReference(accountId: context.caller.accountId, region: context.caller.region, keyId: multiRegion ? "mrk-" + randomBytes(16).hexString : UUID().uuidString.lowercased())
        // An EXTERNAL key starts without material, pending import.
        var material: KeyMaterialRecord?
        if origin == .awsKMS {
            let (_, bytes) = try await boundary { try KeyMaterial.generate(for: spec) }
            let wrapped = try await boundary {
                try rootKey.wrap(
                    bytes, for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: 1))
            }
            material = KeyMaterialRecord(
                reference: reference, version: 1, materialId: randomBytes(32).hexString, wrappedMaterial: wrapped, createdAt: now)
        }
        if let policy {
            try checkPolicyLockout(
                policy, keyArn: reference.arn, keyAccount: reference.accountId,
                bypass: request.bypassPolicyLockoutSafetyCheck, context: context)
        }
        let key = KeyRecord(
            reference: reference, creationDate: now, description: request.description ?? "", keyUsage: usage,
            keySpec: spec, keyState: material == nil ? .pendingImport : .enabled, origin: origin, keyManager: .customer,
            multiRegion: multiRegion, primaryRegion: multiRegion ? reference.region : nil, policy: request.policy)
        context.change(.insertKey(key, material: material, tags: request.tags ?? []))
        context.touched(reference)
        var metadata = metadata(key, currentMaterialId: spec == .symmetricDefault ? material?.materialId : nil)
        if multiRegion { metadata.multiRegionConfiguration = multiRegionConfiguration(key, related: [key]) }
        context.responseElements = .object(["keyMetadata": AuditValue.keyMetadata(metadata)])
        return CreateKeyResponse(keyMetadata: metadata)
    }

    /// KeySpec wins; the deprecated CustomerMasterKeySpec is accepted alone, never with KeySpec.
    private func createKeySpec(_ request: CreateKeyRequest) throws -> KeySpec {
        switch (request.keySpec?.value, request.customerMasterKeySpec?.value) {
        case (.some, .some):
            throw KMSError(
                .validation,
                "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
        case (let spec?, nil): return spec
        case (nil, let legacy?): return KeySpec(rawValue: legacy.rawValue)!
        case (nil, nil): return .symmetricDefault
        }
    }

    private func createKeyUsage(_ request: CreateKeyRequest, spec: KeySpec) throws -> KeyUsage {
        guard let usage = request.keyUsage?.value ?? (spec == .symmetricDefault ? .encryptDecrypt : nil) else {
            throw KMSError(
                .validation, "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
        }
        guard spec.permittedUsages.contains(usage) else {
            throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue)")
        }
        return usage
    }
}
