import Foundation
import KMSAudit
import KMSModel
import KMSPolicy
import KMSStorage

extension KeyManagementService {
    /// [ReplicateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html)
    ///
    /// The replica shares the primary's key id and every material version (re-wrapped under the
    /// replica's own wrapping context), so a ciphertext made in one Region decrypts in the other.
    /// Description, tags, aliases and key policy (Policy, else the default) are the replica's own.
    public func replicateKey(_ request: ReplicateKeyRequest, context: OperationContext) async throws -> ReplicateKeyResponse {
        let primary = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ReplicateKey")
        guard let primaryRegion = primary.primaryRegion else {
            throw KMSError(.unsupportedOperation, "\(primary.reference.arn) is not a multi-Region key.")
        }
        guard primaryRegion == primary.reference.region else {
            throw KMSError(
                .unsupportedOperation, "\(primary.reference.arn) is a replica key; only a primary key can be replicated.")
        }
        switch primary.keyState {
        case .enabled, .disabled: break
        default: throw KMSError.invalidState(primary.reference.arn, primary.keyState)
        }
        guard request.replicaRegion != primary.reference.region else {
            throw KMSError(
                .validation, "The replica Region \(request.replicaRegion) must differ from the primary key's Region.")
        }
        try validateTags(request.tags ?? [])
        // The replica is a new key in its Region: AWS asks for kms:CreateKey there too.
        try await authorizeWithoutKey("CreateKey", context: context)
        var replicaReference = primary.reference
        replicaReference.region = request.replicaRegion
        if let policy = try request.policy.map(parseKeyPolicy) {
            try checkPolicyLockout(
                policy, keyArn: replicaReference.arn, keyAccount: replicaReference.accountId,
                bypass: request.bypassPolicyLockoutSafetyCheck, context: context)
        }
        if try await boundary({ try await repository.key(replicaReference) }) != nil {
            throw KMSError(.alreadyExists, "\(replicaReference.arn) already exists")
        }
        let records = try await boundary {
            try await repository.materials(primary.reference, afterVersion: 0, limit: Int(Int32.max))
        }
        var materials: [KeyMaterialRecord] = []
        for record in records {
            let bytes = try await boundary {
                try rootKey.unwrap(
                    record.wrappedMaterial,
                    for: .keyMaterial(
                        account: primary.reference.accountId, region: primary.reference.region,
                        keyId: primary.reference.keyId, version: record.version))
            }
            let rewrapped = try await boundary {
                try rootKey.wrap(
                    bytes,
                    for: .keyMaterial(
                        account: replicaReference.accountId, region: replicaReference.region,
                        keyId: replicaReference.keyId, version: record.version))
            }
            var copy = record
            copy.reference = replicaReference
            copy.wrappedMaterial = rewrapped
            materials.append(copy)
        }
        let replica = KeyRecord(
            reference: replicaReference, creationDate: clock.now(), description: request.description ?? "",
            keyUsage: primary.keyUsage, keySpec: primary.keySpec, keyState: .enabled, origin: primary.origin,
            keyManager: primary.keyManager, multiRegion: true, currentVersion: primary.currentVersion,
            primaryRegion: primaryRegion, policy: request.policy)
        context.change(
            .insertReplica(replica, materials: materials, tags: request.tags ?? []),
            ifRefused: KMSError(.alreadyExists, "\(replicaReference.arn) already exists"))
        context.touched(replicaReference)
        let related = try await boundary {
            try await repository.multiRegionKeys(accountId: primary.reference.accountId, keyId: primary.reference.keyId)
        }
        var metadata = metadata(
            replica, currentMaterialId: materials.first { $0.version == replica.currentVersion }?.materialId)
        metadata.multiRegionConfiguration = multiRegionConfiguration(
            replica, related: related.filter { $0.reference != replicaReference } + [replica])
        context.responseElements = .object(["replicaKeyMetadata": AuditValue.keyMetadata(metadata)])
        return ReplicateKeyResponse(replicaKeyMetadata: metadata, replicaPolicy: keyPolicy(of: replica), replicaTags: request.tags ?? [])
    }

    /// [UpdatePrimaryRegion](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html)
    ///
    /// Called in the current primary's Region; the replica in `PrimaryRegion` becomes the primary
    /// and the former primary a replica.
    public func updatePrimaryRegion(_ request: UpdatePrimaryRegionRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "UpdatePrimaryRegion")
        guard let primaryRegion = key.primaryRegion else {
            throw KMSError(.unsupportedOperation, "\(key.reference.arn) is not a multi-Region key.")
        }
        guard primaryRegion == key.reference.region else {
            throw KMSError(.unsupportedOperation, "\(key.reference.arn) is a replica key; call UpdatePrimaryRegion on the primary key.")
        }
        var target = key.reference
        target.region = request.primaryRegion
        guard try await boundary({ try await repository.key(target) }) != nil else {
            throw KMSError.keyNotFound(target.arn)
        }
        context.change(
            .setPrimaryRegion(accountId: key.reference.accountId, keyId: key.reference.keyId, primaryRegion: request.primaryRegion),
            ifRefused: KMSError.keyNotFound(target.arn))
        context.touched(target)
        return EmptyResponse()
    }
}
