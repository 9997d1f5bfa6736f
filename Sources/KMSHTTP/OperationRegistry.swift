import KMSCore
import KMSModel
import NIOCore

/// One entry per AWS operation: its name and how its body becomes a call on the service.
/// Every operation runs through the same pipeline; this table is all that differs.
struct OperationSpec: Sendable {
    let name: String
    let handle: @Sendable (KeyManagementService, ByteBuffer, Caller, RequestOrigin) async throws -> ByteBuffer

    /// Decodes and validates the body (a fault here is recorded by the responder), then runs the
    /// operation through the service's audited pipeline.
    static func make<Request: AuditedRequest, Response: Encodable & Sendable>(
        _ name: String,
        _ run: @escaping @Sendable (KeyManagementService, Request, OperationContext) async throws -> Response
    ) -> OperationSpec {
        OperationSpec(name: name) { service, body, caller, origin in
            let request: Request
            do {
                request = try AWSJSONCodec.decode(Request.self, from: body)
            } catch let error as KMSError {
                throw RejectedRequest(error: error)
            }
            let response = try await service.execute(name, request, caller: caller, origin: origin) { context in
                try await run(service, request, context)
            }
            return try AWSJSONCodec.encode(response)
        }
    }
}

/// A request refused before its operation ran, so the responder still owes it an audit record.
struct RejectedRequest: Error {
    let error: KMSError
}

/// `X-Amz-Target: TrentService.<Operation>` → the operation.
enum OperationRegistry {
    static let targetPrefix = "TrentService."

    static let operations: [String: OperationSpec] = Dictionary(
        uniqueKeysWithValues: [
            .make("CreateKey") { (s, r: CreateKeyRequest, c) in try await s.createKey(r, context: c) },
            .make("ReplicateKey") { (s, r: ReplicateKeyRequest, c) in try await s.replicateKey(r, context: c) },
            .make("UpdatePrimaryRegion") { (s, r: UpdatePrimaryRegionRequest, c) in
                try await s.updatePrimaryRegion(r, context: c)
            },
            .make("DescribeKey") { (s, r: DescribeKeyRequest, c) in try await s.describeKey(r, context: c) },
            .make("ListKeys") { (s, r: ListKeysRequest, c) in try await s.listKeys(r, context: c) },
            .make("EnableKey") { (s, r: EnableKeyRequest, c) in try await s.enableKey(r, context: c) },
            .make("DisableKey") { (s, r: DisableKeyRequest, c) in try await s.disableKey(r, context: c) },
            .make("ScheduleKeyDeletion") { (s, r: ScheduleKeyDeletionRequest, c) in
                try await s.scheduleKeyDeletion(r, context: c)
            },
            .make("CancelKeyDeletion") { (s, r: CancelKeyDeletionRequest, c) in
                try await s.cancelKeyDeletion(r, context: c)
            },
            .make("UpdateKeyDescription") { (s, r: UpdateKeyDescriptionRequest, c) in
                try await s.updateKeyDescription(r, context: c)
            },
            .make("Encrypt") { (s, r: EncryptRequest, c) in try await s.encrypt(r, context: c) },
            .make("Decrypt") { (s, r: DecryptRequest, c) in try await s.decrypt(r, context: c) },
            .make("ReEncrypt") { (s, r: ReEncryptRequest, c) in try await s.reEncrypt(r, context: c) },
            .make("GenerateDataKey") { (s, r: GenerateDataKeyRequest, c) in try await s.generateDataKey(r, context: c) },
            .make("GenerateDataKeyWithoutPlaintext") { (s, r: GenerateDataKeyWithoutPlaintextRequest, c) in
                try await s.generateDataKeyWithoutPlaintext(r, context: c)
            },
            .make("GenerateDataKeyPair") { (s, r: GenerateDataKeyPairRequest, c) in try await s.generateDataKeyPair(r, context: c) },
            .make("GenerateDataKeyPairWithoutPlaintext") { (s, r: GenerateDataKeyPairWithoutPlaintextRequest, c) in
                try await s.generateDataKeyPairWithoutPlaintext(r, context: c)
            },
            .make("Sign") { (s, r: SignRequest, c) in try await s.sign(r, context: c) },
            .make("Verify") { (s, r: VerifyRequest, c) in try await s.verify(r, context: c) },
            .make("GetPublicKey") { (s, r: GetPublicKeyRequest, c) in try await s.getPublicKey(r, context: c) },
            .make("GenerateMac") { (s, r: GenerateMacRequest, c) in try await s.generateMac(r, context: c) },
            .make("VerifyMac") { (s, r: VerifyMacRequest, c) in try await s.verifyMac(r, context: c) },
            .make("DeriveSharedSecret") { (s, r: DeriveSharedSecretRequest, c) in try await s.deriveSharedSecret(r, context: c) },
            .make("GenerateRandom") { (s, r: GenerateRandomRequest, c) in try await s.generateRandom(r, context: c) },
            .make("CreateAlias") { (s, r: CreateAliasRequest, c) in try await s.createAlias(r, context: c) },
            .make("UpdateAlias") { (s, r: UpdateAliasRequest, c) in try await s.updateAlias(r, context: c) },
            .make("DeleteAlias") { (s, r: DeleteAliasRequest, c) in try await s.deleteAlias(r, context: c) },
            .make("ListAliases") { (s, r: ListAliasesRequest, c) in try await s.listAliases(r, context: c) },
            .make("TagResource") { (s, r: TagResourceRequest, c) in try await s.tagResource(r, context: c) },
            .make("UntagResource") { (s, r: UntagResourceRequest, c) in try await s.untagResource(r, context: c) },
            .make("ListResourceTags") { (s, r: ListResourceTagsRequest, c) in try await s.listResourceTags(r, context: c) },
            .make("EnableKeyRotation") { (s, r: EnableKeyRotationRequest, c) in try await s.enableKeyRotation(r, context: c) },
            .make("DisableKeyRotation") { (s, r: DisableKeyRotationRequest, c) in try await s.disableKeyRotation(r, context: c) },
            .make("GetKeyRotationStatus") { (s, r: GetKeyRotationStatusRequest, c) in
                try await s.getKeyRotationStatus(r, context: c)
            },
            .make("RotateKeyOnDemand") { (s, r: RotateKeyOnDemandRequest, c) in try await s.rotateKeyOnDemand(r, context: c) },
            .make("ListKeyRotations") { (s, r: ListKeyRotationsRequest, c) in try await s.listKeyRotations(r, context: c) },
            .make("GetParametersForImport") { (s, r: GetParametersForImportRequest, c) in
                try await s.getParametersForImport(r, context: c)
            },
            .make("ImportKeyMaterial") { (s, r: ImportKeyMaterialRequest, c) in try await s.importKeyMaterial(r, context: c) },
            .make("DeleteImportedKeyMaterial") { (s, r: DeleteImportedKeyMaterialRequest, c) in
                try await s.deleteImportedKeyMaterial(r, context: c)
            },
            .make("GetKeyLastUsage") { (s, r: GetKeyLastUsageRequest, c) in try await s.getKeyLastUsage(r, context: c) },
            .make("PutKeyPolicy") { (s, r: PutKeyPolicyRequest, c) in try await s.putKeyPolicy(r, context: c) },
            .make("GetKeyPolicy") { (s, r: GetKeyPolicyRequest, c) in try await s.getKeyPolicy(r, context: c) },
            .make("ListKeyPolicies") { (s, r: ListKeyPoliciesRequest, c) in try await s.listKeyPolicies(r, context: c) },
            .make("CreateGrant") { (s, r: CreateGrantRequest, c) in try await s.createGrant(r, context: c) },
            .make("ListGrants") { (s, r: ListGrantsRequest, c) in try await s.listGrants(r, context: c) },
            .make("ListRetirableGrants") { (s, r: ListRetirableGrantsRequest, c) in
                try await s.listRetirableGrants(r, context: c)
            },
            .make("RetireGrant") { (s, r: RetireGrantRequest, c) in try await s.retireGrant(r, context: c) },
            .make("RevokeGrant") { (s, r: RevokeGrantRequest, c) in try await s.revokeGrant(r, context: c) },
        ].map { ($0.name, $0) })

    static func operation(forTarget target: String?) -> OperationSpec? {
        guard let target, target.hasPrefix(targetPrefix) else { return nil }
        return operations[String(target.dropFirst(targetPrefix.count))]
    }

    /// The operation names, for README tables and tests.
    static var names: [String] { operations.keys.sorted() }
}
