import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

/// Rotation of symmetric encryption keys: a new material version becomes current, every earlier
/// version keeps decrypting. [Rotating keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
extension KeyManagementService {
    /// AWS's quota of on-demand rotations per key.
    static let onDemandRotationLimit = 25
    static let defaultRotationPeriodInDays = 365

    /// [EnableKeyRotation](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html)
    /// The first automatic rotation is due one period after enabling. Changing the period of a
    /// key whose rotation is already enabled keeps the schedule's anchor (the last automatic
    /// rotation, or when rotation was enabled): next = anchor + new period, at the earliest now.
    public func enableKeyRotation(_ request: EnableKeyRotationRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await rotatableKey(request.keyId, context: context, action: "EnableKeyRotation", requireEnabled: true)
        let period = request.rotationPeriodInDays ?? Self.defaultRotationPeriodInDays
        let now = clock.now()
        var next = now.addingTimeInterval(Self.days(period))
        if let oldPeriod = key.rotationPeriodInDays, let oldNext = key.nextRotationDate {
            let anchor = oldNext.addingTimeInterval(-Self.days(oldPeriod))
            next = max(now, anchor.addingTimeInterval(Self.days(period)))
        }
        context.change(
            .setRotation(key.reference, periodInDays: period, nextRotationDate: next),
            ifRefused: KMSError.keyNotFound(key.reference.arn))
        return EmptyResponse()
    }

    /// [DisableKeyRotation](https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html)
    public func disableKeyRotation(_ request: DisableKeyRotationRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await rotatableKey(request.keyId, context: context, action: "DisableKeyRotation", requireEnabled: true)
        context.change(
            .setRotation(key.reference, periodInDays: nil, nextRotationDate: nil),
            ifRefused: KMSError.keyNotFound(key.reference.arn))
        return EmptyResponse()
    }

    /// [GetKeyRotationStatus](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html)
    /// Answers for disabled keys too, as AWS does. Rotation here completes within the request,
    /// so OnDemandRotationStartDate (set only while one is under way) is never reported. A
    /// multi-Region replica reports its primary's schedule, which it shares; while the primary
    /// is scheduled for deletion nothing rotates, so rotation is reported off.
    public func getKeyRotationStatus(_ request: GetKeyRotationStatusRequest, context: OperationContext) async throws -> GetKeyRotationStatusResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "GetKeyRotationStatus")
        try requireRotatable(key, rejectExternal: false)
        if key.keyState.isScheduledForDeletion { throw KMSError.invalidState(key.reference.arn, key.keyState) }
        var schedule = key
        if key.isMultiRegionReplica, let primary = try await primaryKey(of: key) {
            schedule = primary
            if primary.keyState.isScheduledForDeletion { schedule.rotationPeriodInDays = nil }
        }
        let enabled = schedule.rotationPeriodInDays != nil
        return GetKeyRotationStatusResponse(
            keyRotationEnabled: enabled, keyId: key.reference.arn, rotationPeriodInDays: schedule.rotationPeriodInDays,
            nextRotationDate: enabled ? schedule.nextRotationDate : nil)
    }

    /// [RotateKeyOnDemand](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html)
    /// Leaves the automatic schedule as it is, as AWS does. Racing another rotation of the same key
    /// (a scheduled one on another node, say) is a `ConflictException`. A key with imported
    /// material rotates to the new material imported for it (see `rotateToImportedMaterial`).
    public func rotateKeyOnDemand(_ request: RotateKeyOnDemandRequest, context: OperationContext) async throws -> RotateKeyOnDemandResponse {
        let key = try await rotatableKey(
            request.keyId, context: context, action: "RotateKeyOnDemand", requireEnabled: true, rejectExternal: false)
        guard key.onDemandRotations < Self.onDemandRotationLimit else {
            throw KMSError(.limitExceeded, "On-demand rotations quota exceeded for \(key.reference.arn).")
        }
        if key.origin == .external {
            // AWS rotates imported multi-Region keys through a further material state
            // (PENDING_MULTI_REGION_IMPORT_AND_ROTATION) that this server does not implement.
            if key.primaryRegion != nil { throw KMSError.multiRegionImportedRotation(key.reference.arn) }
            return try await rotateToImportedMaterial(key, context: context)
        }
        if key.isMultiRegionPrimary {
            // Every replica gets the new version in the same change.
            let (mutation, materialId) = try await rotateRelatedKeys(
                key, type: .onDemand, expectedNextRotationDate: nil, nextRotationDate: nil)
            context.change(mutation, ifRefused: KMSError(.conflict, "\(key.reference.arn) is already being rotated."))
            context.keyMaterialId = materialId
            return RotateKeyOnDemandResponse(keyId: key.reference.arn)
        }
        let material = try await newRotationMaterial(key, type: .onDemand)
        context.change(
            .rotateKey(key.reference, material: material, expectedNextRotationDate: nil, nextRotationDate: nil, onDemand: true),
            ifRefused: KMSError(.conflict, "\(key.reference.arn) is already being rotated."))
        context.keyMaterialId = material.materialId
        return RotateKeyOnDemandResponse(keyId: key.reference.arn)
    }

    /// [ListKeyRotations](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html)
    /// Pages in version order; the marker is the last version listed. ROTATIONS_ONLY (the default)
    /// leaves out the key's first material, which no rotation made.
    public func listKeyRotations(_ request: ListKeyRotationsRequest, context: OperationContext) async throws -> ListKeyRotationsResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ListKeyRotations")
        try requireRotatable(key, rejectExternal: false)
        if key.origin == .external { return try await listImportedKeyRotations(key, request) }
        let limit = request.limit ?? 100
        var after = 0
        if let marker = request.marker {
            guard let version = Int(marker), version > 0 else { throw KMSError.invalidMarker }
            after = version
        }
        let all = request.includeKeyMaterial?.value == .allKeyMaterial
        if !all { after = max(after, 1) }
        let rows = try await boundary { try await repository.materials(key.reference, afterVersion: after, limit: limit + 1) }
        let page = rows.prefix(limit)
        return ListKeyRotationsResponse(
            rotations: page.map { m in
                RotationsListEntry(
                    keyId: key.reference.keyId, keyMaterialId: m.materialId,
                    keyMaterialState: m.version == key.currentVersion ? .current : .nonCurrent,
                    rotationDate: m.rotationType == nil ? nil : m.createdAt, rotationType: m.rotationType)
            },
            nextMarker: rows.count > limit ? page.last.map { String($0.version) } : nil)
    }

    // MARK: Shared steps

    static func days(_ count: Int) -> TimeInterval { TimeInterval(count) * 86400 }

    private func rotatableKey(
        _ keyId: String, context: OperationContext, action: String, requireEnabled: Bool, rejectExternal: Bool = true
    ) async throws -> KeyRecord {
        let key = try await resolveKey(keyId, .keyOnly, context: context, action: action)
        try requireRotatable(key, rejectExternal: rejectExternal)
        try requireNotReplica(key)
        switch key.keyState {
        case .enabled: break
        case .disabled: throw KMSError.disabled(key.reference.arn)
        default: throw KMSError.invalidState(key.reference.arn, key.keyState)
        }
        return key
    }

    /// Only symmetric encryption keys rotate, as in AWS; automatically only those with material
    /// Trent generated (AWS rotates imported material on demand only).
    private func requireRotatable(_ key: KeyRecord, rejectExternal: Bool) throws {
        guard key.keySpec == .symmetricDefault else {
            throw KMSError(.unsupportedOperation, "\(key.reference.arn) is not a symmetric encryption KMS key.")
        }
        if rejectExternal, key.origin != .awsKMS {
            throw KMSError(
                .unsupportedOperation, "\(key.reference.arn) origin is \(key.origin.rawValue) which is not valid for this operation.")
        }
    }

    /// Fresh material for the key's next version, wrapped under the root key.
    func newRotationMaterial(_ key: KeyRecord, type: RotationType) async throws -> KeyMaterialRecord {
        let version = key.currentVersion + 1
        let reference = key.reference
        let (_, bytes) = try await boundary { try KeyMaterial.generate(for: key.keySpec) }
        let wrapped = try await boundary {
            try rootKey.wrap(
                bytes,
                for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: version))
        }
        return KeyMaterialRecord(
            reference: reference, version: version, materialId: randomBytes(32).hexString, wrappedMaterial: wrapped,
            createdAt: clock.now(), rotationType: type)
    }
}
