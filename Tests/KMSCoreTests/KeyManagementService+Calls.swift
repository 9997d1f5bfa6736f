import Foundation
import KMSModel

@testable import KMSCore

/// Calls each operation the way the HTTP layer does: through `execute`, so every test call
/// commits its changes with its audit record exactly as a real request would.
extension KeyManagementService {
    static let testOrigin = RequestOrigin(
        requestId: "test-request", sourceIPAddress: "127.0.0.1", userAgent: "swift-testing")


    func createKey(_ request: CreateKeyRequest, caller: Caller) async throws -> CreateKeyResponse {
        try await execute("CreateKey", request, caller: caller, origin: Self.testOrigin) { try await createKey(request, context: $0) }
    }

    func describeKey(_ request: DescribeKeyRequest, caller: Caller) async throws -> DescribeKeyResponse {
        try await execute("DescribeKey", request, caller: caller, origin: Self.testOrigin) { try await describeKey(request, context: $0) }
    }

    func listKeys(_ request: ListKeysRequest, caller: Caller) async throws -> ListKeysResponse {
        try await execute("ListKeys", request, caller: caller, origin: Self.testOrigin) { try await listKeys(request, context: $0) }
    }

    func enableKey(_ request: EnableKeyRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("EnableKey", request, caller: caller, origin: Self.testOrigin) { try await enableKey(request, context: $0) }
    }

    func disableKey(_ request: DisableKeyRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("DisableKey", request, caller: caller, origin: Self.testOrigin) { try await disableKey(request, context: $0) }
    }

    func scheduleKeyDeletion(_ request: ScheduleKeyDeletionRequest, caller: Caller) async throws -> ScheduleKeyDeletionResponse {
        try await execute("ScheduleKeyDeletion", request, caller: caller, origin: Self.testOrigin) { try await scheduleKeyDeletion(request, context: $0) }
    }

    func cancelKeyDeletion(_ request: CancelKeyDeletionRequest, caller: Caller) async throws -> CancelKeyDeletionResponse {
        try await execute("CancelKeyDeletion", request, caller: caller, origin: Self.testOrigin) { try await cancelKeyDeletion(request, context: $0) }
    }

    func updateKeyDescription(_ request: UpdateKeyDescriptionRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("UpdateKeyDescription", request, caller: caller, origin: Self.testOrigin) { try await updateKeyDescription(request, context: $0) }
    }

    func encrypt(_ request: EncryptRequest, caller: Caller) async throws -> EncryptResponse {
        try await execute("Encrypt", request, caller: caller, origin: Self.testOrigin) { try await encrypt(request, context: $0) }
    }

    func decrypt(_ request: DecryptRequest, caller: Caller) async throws -> DecryptResponse {
        try await execute("Decrypt", request, caller: caller, origin: Self.testOrigin) { try await decrypt(request, context: $0) }
    }

    func reEncrypt(_ request: ReEncryptRequest, caller: Caller) async throws -> ReEncryptResponse {
        try await execute("ReEncrypt", request, caller: caller, origin: Self.testOrigin) { try await reEncrypt(request, context: $0) }
    }

    func generateDataKey(_ request: GenerateDataKeyRequest, caller: Caller) async throws -> GenerateDataKeyResponse {
        try await execute("GenerateDataKey", request, caller: caller, origin: Self.testOrigin) { try await generateDataKey(request, context: $0) }
    }

    func generateDataKeyWithoutPlaintext(_ request: GenerateDataKeyWithoutPlaintextRequest, caller: Caller) async throws -> GenerateDataKeyWithoutPlaintextResponse {
        try await execute("GenerateDataKeyWithoutPlaintext", request, caller: caller, origin: Self.testOrigin) { try await generateDataKeyWithoutPlaintext(request, context: $0) }
    }

    func generateRandom(_ request: GenerateRandomRequest, caller: Caller) async throws -> GenerateRandomResponse {
        try await execute("GenerateRandom", request, caller: caller, origin: Self.testOrigin) { try await generateRandom(request, context: $0) }
    }

    func createAlias(_ request: CreateAliasRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("CreateAlias", request, caller: caller, origin: Self.testOrigin) { try await createAlias(request, context: $0) }
    }

    func updateAlias(_ request: UpdateAliasRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("UpdateAlias", request, caller: caller, origin: Self.testOrigin) { try await updateAlias(request, context: $0) }
    }

    func deleteAlias(_ request: DeleteAliasRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("DeleteAlias", request, caller: caller, origin: Self.testOrigin) { try await deleteAlias(request, context: $0) }
    }

    func listAliases(_ request: ListAliasesRequest, caller: Caller) async throws -> ListAliasesResponse {
        try await execute("ListAliases", request, caller: caller, origin: Self.testOrigin) { try await listAliases(request, context: $0) }
    }

    func tagResource(_ request: TagResourceRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("TagResource", request, caller: caller, origin: Self.testOrigin) { try await tagResource(request, context: $0) }
    }

    func untagResource(_ request: UntagResourceRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("UntagResource", request, caller: caller, origin: Self.testOrigin) { try await untagResource(request, context: $0) }
    }

    func listResourceTags(_ request: ListResourceTagsRequest, caller: Caller) async throws -> ListResourceTagsResponse {
        try await execute("ListResourceTags", request, caller: caller, origin: Self.testOrigin) { try await listResourceTags(request, context: $0) }
    }

    func getKeyLastUsage(_ request: GetKeyLastUsageRequest, caller: Caller) async throws -> GetKeyLastUsageResponse {
        try await execute("GetKeyLastUsage", request, caller: caller, origin: Self.testOrigin) { try await getKeyLastUsage(request, context: $0) }
    }

    func sign(_ request: SignRequest, caller: Caller) async throws -> SignResponse {
        try await execute("Sign", request, caller: caller, origin: Self.testOrigin) { try await sign(request, context: $0) }
    }

    func verify(_ request: VerifyRequest, caller: Caller) async throws -> VerifyResponse {
        try await execute("Verify", request, caller: caller, origin: Self.testOrigin) { try await verify(request, context: $0) }
    }

    func getPublicKey(_ request: GetPublicKeyRequest, caller: Caller) async throws -> GetPublicKeyResponse {
        try await execute("GetPublicKey", request, caller: caller, origin: Self.testOrigin) { try await getPublicKey(request, context: $0) }
    }

    func generateMac(_ request: GenerateMacRequest, caller: Caller) async throws -> GenerateMacResponse {
        try await execute("GenerateMac", request, caller: caller, origin: Self.testOrigin) { try await generateMac(request, context: $0) }
    }

    func verifyMac(_ request: VerifyMacRequest, caller: Caller) async throws -> VerifyMacResponse {
        try await execute("VerifyMac", request, caller: caller, origin: Self.testOrigin) { try await verifyMac(request, context: $0) }
    }

    func deriveSharedSecret(_ request: DeriveSharedSecretRequest, caller: Caller) async throws -> DeriveSharedSecretResponse {
        try await execute("DeriveSharedSecret", request, caller: caller, origin: Self.testOrigin) { try await deriveSharedSecret(request, context: $0) }
    }

    func generateDataKeyPair(_ request: GenerateDataKeyPairRequest, caller: Caller) async throws -> GenerateDataKeyPairResponse {
        try await execute("GenerateDataKeyPair", request, caller: caller, origin: Self.testOrigin) { try await generateDataKeyPair(request, context: $0) }
    }

    func generateDataKeyPairWithoutPlaintext(_ request: GenerateDataKeyPairWithoutPlaintextRequest, caller: Caller) async throws -> GenerateDataKeyPairWithoutPlaintextResponse {
        try await execute("GenerateDataKeyPairWithoutPlaintext", request, caller: caller, origin: Self.testOrigin) { try await generateDataKeyPairWithoutPlaintext(request, context: $0) }
    }
    func enableKeyRotation(_ request: EnableKeyRotationRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("EnableKeyRotation", request, caller: caller, origin: Self.testOrigin) { try await enableKeyRotation(request, context: $0) }
    }

    func disableKeyRotation(_ request: DisableKeyRotationRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("DisableKeyRotation", request, caller: caller, origin: Self.testOrigin) { try await disableKeyRotation(request, context: $0) }
    }

    func getKeyRotationStatus(_ request: GetKeyRotationStatusRequest, caller: Caller) async throws -> GetKeyRotationStatusResponse {
        try await execute("GetKeyRotationStatus", request, caller: caller, origin: Self.testOrigin) { try await getKeyRotationStatus(request, context: $0) }
    }

    func rotateKeyOnDemand(_ request: RotateKeyOnDemandRequest, caller: Caller) async throws -> RotateKeyOnDemandResponse {
        try await execute("RotateKeyOnDemand", request, caller: caller, origin: Self.testOrigin) { try await rotateKeyOnDemand(request, context: $0) }
    }

    func listKeyRotations(_ request: ListKeyRotationsRequest, caller: Caller) async throws -> ListKeyRotationsResponse {
        try await execute("ListKeyRotations", request, caller: caller, origin: Self.testOrigin) { try await listKeyRotations(request, context: $0) }
    }

    func getParametersForImport(_ request: GetParametersForImportRequest, caller: Caller) async throws -> GetParametersForImportResponse {
        try await execute("GetParametersForImport", request, caller: caller, origin: Self.testOrigin) {
            try await getParametersForImport(request, context: $0)
        }
    }

    func replicateKey(_ request: ReplicateKeyRequest, caller: Caller) async throws -> ReplicateKeyResponse {
        try await execute("ReplicateKey", request, caller: caller, origin: Self.testOrigin) {
            try await replicateKey(request, context: $0)
        }
    }

    func updatePrimaryRegion(_ request: UpdatePrimaryRegionRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("UpdatePrimaryRegion", request, caller: caller, origin: Self.testOrigin) {
            try await updatePrimaryRegion(request, context: $0)
        }
    }

    func importKeyMaterial(_ request: ImportKeyMaterialRequest, caller: Caller) async throws -> ImportKeyMaterialResponse {
        try await execute("ImportKeyMaterial", request, caller: caller, origin: Self.testOrigin) {
            try await importKeyMaterial(request, context: $0)
        }
    }

    func deleteImportedKeyMaterial(_ request: DeleteImportedKeyMaterialRequest, caller: Caller) async throws -> DeleteImportedKeyMaterialResponse {
        try await execute("DeleteImportedKeyMaterial", request, caller: caller, origin: Self.testOrigin) {
            try await deleteImportedKeyMaterial(request, context: $0)
        }
    }

    func putKeyPolicy(_ request: PutKeyPolicyRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("PutKeyPolicy", request, caller: caller, origin: Self.testOrigin) { try await putKeyPolicy(request, context: $0) }
    }

    func getKeyPolicy(_ request: GetKeyPolicyRequest, caller: Caller) async throws -> GetKeyPolicyResponse {
        try await execute("GetKeyPolicy", request, caller: caller, origin: Self.testOrigin) { try await getKeyPolicy(request, context: $0) }
    }

    func listKeyPolicies(_ request: ListKeyPoliciesRequest, caller: Caller) async throws -> ListKeyPoliciesResponse {
        try await execute("ListKeyPolicies", request, caller: caller, origin: Self.testOrigin) {
            try await listKeyPolicies(request, context: $0)
        }
    }

    func createGrant(_ request: CreateGrantRequest, caller: Caller) async throws -> CreateGrantResponse {
        try await execute("CreateGrant", request, caller: caller, origin: Self.testOrigin) { try await createGrant(request, context: $0) }
    }

    func listGrants(_ request: ListGrantsRequest, caller: Caller) async throws -> ListGrantsResponse {
        try await execute("ListGrants", request, caller: caller, origin: Self.testOrigin) { try await listGrants(request, context: $0) }
    }

    func listRetirableGrants(_ request: ListRetirableGrantsRequest, caller: Caller) async throws -> ListGrantsResponse {
        try await execute("ListRetirableGrants", request, caller: caller, origin: Self.testOrigin) {
            try await listRetirableGrants(request, context: $0)
        }
    }

    func retireGrant(_ request: RetireGrantRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("RetireGrant", request, caller: caller, origin: Self.testOrigin) { try await retireGrant(request, context: $0) }
    }

    func revokeGrant(_ request: RevokeGrantRequest, caller: Caller) async throws -> EmptyResponse {
        try await execute("RevokeGrant", request, caller: caller, origin: Self.testOrigin) { try await revokeGrant(request, context: $0) }
    }
}
