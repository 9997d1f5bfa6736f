import KMSCore
import KMSModel
import NIOCore

/// One entry per AWS operation: its name and how its body becomes a call on the service.
/// Every operation runs through the same pipeline; this table is all that differs.
struct OperationSpec: Sendable {
    let name: String
    let handle: @Sendable (KeyManagementService, ByteBuffer, Caller) async throws -> ByteBuffer

    static func make<Request: ValidatedRequest, Response: Encodable & Sendable>(
        _ name: String,
        _ run: @escaping @Sendable (KeyManagementService, Request, Caller) async throws -> Response
    ) -> OperationSpec {
        OperationSpec(name: name) { service, body, caller in
            let request = try AWSJSONCodec.decode(Request.self, from: body)
            return try AWSJSONCodec.encode(try await run(service, request, caller))
        }
    }
}

/// `X-Amz-Target: TrentService.<Operation>` → the operation.
enum OperationRegistry {
    static let targetPrefix = "TrentService."

    static let operations: [String: OperationSpec] = Dictionary(
        uniqueKeysWithValues: [
            .make("CreateKey") { (s, r: CreateKeyRequest, c) in try await s.createKey(r, caller: c) },
            .make("DescribeKey") { (s, r: DescribeKeyRequest, c) in try await s.describeKey(r, caller: c) },
            .make("ListKeys") { (s, r: ListKeysRequest, c) in try await s.listKeys(r, caller: c) },
            .make("EnableKey") { (s, r: EnableKeyRequest, c) in try await s.enableKey(r, caller: c) },
            .make("DisableKey") { (s, r: DisableKeyRequest, c) in try await s.disableKey(r, caller: c) },
            .make("ScheduleKeyDeletion") { (s, r: ScheduleKeyDeletionRequest, c) in
                try await s.scheduleKeyDeletion(r, caller: c)
            },
            .make("CancelKeyDeletion") { (s, r: CancelKeyDeletionRequest, c) in
                try await s.cancelKeyDeletion(r, caller: c)
            },
            .make("UpdateKeyDescription") { (s, r: UpdateKeyDescriptionRequest, c) in
                try await s.updateKeyDescription(r, caller: c)
            },
            .make("Encrypt") { (s, r: EncryptRequest, c) in try await s.encrypt(r, caller: c) },
            .make("Decrypt") { (s, r: DecryptRequest, c) in try await s.decrypt(r, caller: c) },
            .make("ReEncrypt") { (s, r: ReEncryptRequest, c) in try await s.reEncrypt(r, caller: c) },
            .make("GenerateDataKey") { (s, r: GenerateDataKeyRequest, c) in try await s.generateDataKey(r, caller: c) },
            .make("GenerateDataKeyWithoutPlaintext") { (s, r: GenerateDataKeyWithoutPlaintextRequest, c) in
                try await s.generateDataKeyWithoutPlaintext(r, caller: c)
            },
            .make("GenerateDataKeyPair") { (s, r: GenerateDataKeyPairRequest, c) in try await s.generateDataKeyPair(r, caller: c) },
            .make("GenerateDataKeyPairWithoutPlaintext") { (s, r: GenerateDataKeyPairWithoutPlaintextRequest, c) in
                try await s.generateDataKeyPairWithoutPlaintext(r, caller: c)
            },
            .make("Sign") { (s, r: SignRequest, c) in try await s.sign(r, caller: c) },
            .make("Verify") { (s, r: VerifyRequest, c) in try await s.verify(r, caller: c) },
            .make("GetPublicKey") { (s, r: GetPublicKeyRequest, c) in try await s.getPublicKey(r, caller: c) },
            .make("GenerateMac") { (s, r: GenerateMacRequest, c) in try await s.generateMac(r, caller: c) },
            .make("VerifyMac") { (s, r: VerifyMacRequest, c) in try await s.verifyMac(r, caller: c) },
            .make("DeriveSharedSecret") { (s, r: DeriveSharedSecretRequest, c) in try await s.deriveSharedSecret(r, caller: c) },
            .make("GenerateRandom") { (s, r: GenerateRandomRequest, c) in try await s.generateRandom(r, caller: c) },
            .make("CreateAlias") { (s, r: CreateAliasRequest, c) in try await s.createAlias(r, caller: c) },
            .make("UpdateAlias") { (s, r: UpdateAliasRequest, c) in try await s.updateAlias(r, caller: c) },
            .make("DeleteAlias") { (s, r: DeleteAliasRequest, c) in try await s.deleteAlias(r, caller: c) },
            .make("ListAliases") { (s, r: ListAliasesRequest, c) in try await s.listAliases(r, caller: c) },
            .make("TagResource") { (s, r: TagResourceRequest, c) in try await s.tagResource(r, caller: c) },
            .make("UntagResource") { (s, r: UntagResourceRequest, c) in try await s.untagResource(r, caller: c) },
            .make("ListResourceTags") { (s, r: ListResourceTagsRequest, c) in try await s.listResourceTags(r, caller: c) },
        ].map { ($0.name, $0) })

    static func operation(forTarget target: String?) -> OperationSpec? {
        guard let target, target.hasPrefix(targetPrefix) else { return nil }
        return operations[String(target.dropFirst(targetPrefix.count))]
    }

    /// The operation names, for README tables and tests.
    static var names: [String] { operations.keys.sorted() }
}
