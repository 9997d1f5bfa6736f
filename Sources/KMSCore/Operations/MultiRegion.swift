import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSPolicy
import KMSStorage

extension KeyManagementService {
    /// [ReplicateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html)
    ///
    /// The replica shares the primary's key id and every material version (re-wrapped under the
    /// replica's own wrapping context), so a ciphertext made in one Region decrypts in the other.
    /// Description, tags, aliases and key policy (Policy, else the default) are the replica's own.
    /// A replica of an EXTERNAL primary gets no material: it is PendingImport until the same
    /// material is imported into it, as the developer guide's
    /// [Importing key material into multi-Region keys](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-import.html) says.
    public func replicateKey(_ request: ReplicateKeyRequest, context: OperationContext) async throws -> ReplicateKeyResponse {
        let primary = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ReplicateKey")
        guard let primaryRegion = primary.primaryRegion else {
            throw KMSError(.unsupportedOperation, "\(primary.reference.arn) is not a multi-Region key.")
        }
        guard primaryRegion == primary.reference.region else { throw KMSError.notMultiRegionPrimary(primary.reference.arn) }
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
        // AWS copies no imported material: a replica of an EXTERNAL primary starts PendingImport
        // and takes the primary's material by its own import (see `importKeyMaterial`).
        var materials: [KeyMaterialRecord] = []
        for record in records where primary.origin != .external {
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
            keyUsage: primary.keyUsage, keySpec: primary.keySpec, keyState: primary.origin == .external ? .pendingImport : .enabled,
            origin: primary.origin,
            keyManager: primary.keyManager, multiRegion: true, currentVersion: primary.currentVersion,
            primaryRegion: primaryRegion, policy: request.policy)
        let (replicaArn, primaryArn) = (replicaReference.arn, primary.reference.arn)
        context.change(.insertReplica(replica, materials: materials, tags: request.tags ?? [])) { refusal in
            switch refusal {
            case .alreadyExists: KMSError(.alreadyExists, "\(replicaArn) already exists")
            // The primary was rotated, or scheduled for deletion, since it was read.
            case .conflict: KMSError(.conflict, "\(primaryArn) changed while it was being replicated; try again.")
            default: nil
            }
        }
        context.touched(replicaReference)
        let related = try await boundary {
            try await repository.multiRegionKeys(accountId: primary.reference.accountId, keyId: primary.reference.keyId)
        }
        var metadata = metadata(
            replica,
            currentMaterialId: replica.keySpec == .symmetricDefault
                ? materials.first { $0.version == replica.currentVersion }?.materialId : nil)
        metadata.multiRegionConfiguration = multiRegionConfiguration(
            replica, related: related.filter { $0.reference != replicaReference } + [replica])
        context.responseElements = .object(["replicaKeyMetadata": AuditValue.keyMetadata(metadata)])
        return ReplicateKeyResponse(replicaKeyMetadata: metadata, replicaPolicy: keyPolicy(of: replica), replicaTags: request.tags ?? [])
    }

    /// [UpdatePrimaryRegion](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html)
    ///
    /// Called in the current primary's Region; the replica in `PrimaryRegion` becomes the primary
    /// and the former primary a replica. Both must be Enabled, as the developer guide requires
    /// ("Change the primary key in a set of multi-Region keys"), so a replica pending deletion is
    /// never promoted. The automatic rotation schedule moves to the new primary.
    public func updatePrimaryRegion(_ request: UpdatePrimaryRegionRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "UpdatePrimaryRegion")
        guard let primaryRegion = key.primaryRegion else {
            throw KMSError(.unsupportedOperation, "\(key.reference.arn) is not a multi-Region key.")
        }
        guard primaryRegion == key.reference.region else { throw KMSError.notMultiRegionPrimary(key.reference.arn) }
        try Self.requireEnabledForPrimaryUpdate(key)
        var target = key.reference
        target.region = request.primaryRegion
        guard let targetKey = try await boundary({ try await repository.key(target) }) else {
            throw KMSError.keyNotFound(target.arn)
        }
        try Self.requireEnabledForPrimaryUpdate(targetKey)
        context.change(
            .setPrimaryRegion(accountId: key.reference.accountId, keyId: key.reference.keyId, primaryRegion: request.primaryRegion)
        ) { [targetArn = target.arn, keyArn = key.reference.arn] refusal in
            switch refusal {
            case .notFound: KMSError.keyNotFound(targetArn)
            case .conflict: KMSError(.conflict, "\(keyArn) changed while its primary Region was being updated; try again.")
            default: nil
            }
        }
        context.touched(target)
        return EmptyResponse()
    }

    private static func requireEnabledForPrimaryUpdate(_ key: KeyRecord) throws {
        switch key.keyState {
        case .enabled: break
        case .disabled: throw KMSError.disabled(key.reference.arn)
        default: throw KMSError.invalidState(key.reference.arn, key.keyState)
        }
    }
}

/// Rotation in step: related multi-Region keys share their key material, so a rotation of the
/// primary writes the new version to every Region at once, in one conditional change.
/// [Rotating multi-Region keys](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-manage.html#multi-region-rotate)
extension KeyManagementService {
    /// Automatic rotation is managed only on the primary key, and only the primary is rotated on
    /// demand; a replica answers as AWS does for operations only a primary takes.
    func requireNotReplica(_ key: KeyRecord) throws {
        if key.isMultiRegionReplica { throw KMSError.notMultiRegionPrimary(key.reference.arn) }
    }

    /// The primary of a replica, whose rotation settings the replica shares.
    func primaryKey(of key: KeyRecord) async throws -> KeyRecord? {
        guard let primaryRegion = key.primaryRegion, primaryRegion != key.reference.region else { return key }
        var reference = key.reference
        reference.region = primaryRegion
        return try await boundary { try await repository.key(reference) }
    }

    /// The mutation that rotates a multi-Region primary and every replica to version n + 1: one
    /// fresh material, wrapped for each Region under that Region's wrapping context. Every copy
    /// is at the primary's version (the store refuses any other), so one number serves all.
    func rotateRelatedKeys(
        _ primary: KeyRecord, type: RotationType, expectedNextRotationDate: Date?, nextRotationDate: Date?
    ) async throws -> (Mutation, materialId: String) {
        let related = try await boundary {
            try await repository.multiRegionKeys(accountId: primary.reference.accountId, keyId: primary.reference.keyId)
        }
        let version = primary.currentVersion + 1
        let (_, bytes) = try await boundary { try KeyMaterial.generate(for: primary.keySpec) }
        let materialId = randomBytes(32).hexString
        let now = clock.now()
        var materials: [KeyMaterialRecord] = []
        for copy in [primary] + related.filter({ $0.reference != primary.reference }) {
            let reference = copy.reference
            let wrapped = try await boundary {
                try rootKey.wrap(
                    bytes,
                    for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: version))
            }
            materials.append(
                KeyMaterialRecord(
                    reference: reference, version: version, materialId: materialId, wrappedMaterial: wrapped, createdAt: now,
                    rotationType: type))
        }
        let mutation = Mutation.rotateRelatedKeys(
            primary: primary.reference, materials: materials, expectedNextRotationDate: expectedNextRotationDate,
            nextRotationDate: nextRotationDate, onDemand: type == .onDemand)
        return (mutation, materialId)
    }
}

extension KeyRecord {
    var isMultiRegionPrimary: Bool { primaryRegion == reference.region }
    var isMultiRegionReplica: Bool { primaryRegion != nil && primaryRegion != reference.region }
}
