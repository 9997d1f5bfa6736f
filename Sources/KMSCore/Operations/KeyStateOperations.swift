import Foundation
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// [EnableKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html)
    public func enableKey(_ request: EnableKeyRequest, context: OperationContext) async throws -> EmptyResponse {
        try await changeState(request.keyId, .enable, context: context, action: "EnableKey")
        return EmptyResponse()
    }

    /// [DisableKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html)
    public func disableKey(_ request: DisableKeyRequest, context: OperationContext) async throws -> EmptyResponse {
        try await changeState(request.keyId, .disable, context: context, action: "DisableKey")
        return EmptyResponse()
    }

    /// [CancelKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html)
    /// The key comes back Disabled, as in AWS: enabling it again is a deliberate second step.
    /// An EXTERNAL key without material comes back PendingImport.
    public func cancelKeyDeletion(_ request: CancelKeyDeletionRequest, context: OperationContext) async throws -> CancelKeyDeletionResponse {
        let key = try await changeState(request.keyId, .cancelDeletion, context: context, action: "CancelKeyDeletion") {
            $0.deletionDate = nil
            $0.pendingWindowInDays = nil
            if $0.origin == .external, $0.expirationModel == nil { $0.keyState = .pendingImport }
        }
        return CancelKeyDeletionResponse(keyId: key.reference.arn)
    }

    /// [ScheduleKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html)
    ///
    /// A multi-Region primary key that still has replicas becomes PendingReplicaDeletion, with
    /// no DeletionDate: its waiting period starts when its last replica is deleted
    /// ([Deleting multi-Region keys](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-delete.html)).
    /// A replica is scheduled like any key.
    public func scheduleKeyDeletion(_ request: ScheduleKeyDeletionRequest, context: OperationContext) async throws -> ScheduleKeyDeletionResponse {
        let days = request.pendingWindowInDays ?? 30
        guard (7...30).contains(days) else {
            throw KMSError(.validation, "PendingWindowInDays must be between 7 and 30")
        }
        var key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ScheduleKeyDeletion")
        let now = clock.now()
        var awaitsReplicas = false
        if key.isMultiRegionPrimary {
            let related = try await boundary {
                try await repository.multiRegionKeys(accountId: key.reference.accountId, keyId: key.reference.keyId)
            }
            awaitsReplicas = related.contains { $0.reference != key.reference }
        }
        key.keyState = try KeyLifecycle.transition(
            from: key.keyState, on: awaitsReplicas ? .scheduleDeletionAfterReplicas : .scheduleDeletion, arn: key.reference.arn)
        key.deletionDate = awaitsReplicas ? nil : now.addingTimeInterval(TimeInterval(days) * 86400)
        key.pendingWindowInDays = days
        save(key, context)
        if awaitsReplicas {
            // Should the last replica have gone since it was read, the waiting period starts now.
            context.change(.beginPrimaryDeletionWindow(accountId: key.reference.accountId, keyId: key.reference.keyId, startingAt: now))
        }
        return ScheduleKeyDeletionResponse(
            keyId: key.reference.arn, deletionDate: key.deletionDate, keyState: key.keyState, pendingWindowInDays: days)
    }

    /// [UpdateKeyDescription](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html)
    public func updateKeyDescription(_ request: UpdateKeyDescriptionRequest, context: OperationContext) async throws -> EmptyResponse {
        var key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "UpdateKeyDescription")
        if key.keyState.isScheduledForDeletion { throw KMSError.invalidState(key.reference.arn, key.keyState) }
        key.description = request.description
        save(key, context)
        return EmptyResponse()
    }

    @discardableResult
    private func changeState(
        _ keyId: String, _ event: KeyLifecycleEvent, context: OperationContext, action: String,
        also: (inout KeyRecord) -> Void = { _ in }
    ) async throws -> KeyRecord {
        var key = try await resolveKey(keyId, .keyOnly, context: context, action: action)
        key.keyState = try KeyLifecycle.transition(from: key.keyState, on: event, arn: key.reference.arn)
        also(&key)
        save(key, context)
        return key
    }

    func save(_ key: KeyRecord, _ context: OperationContext) {
        context.change(.updateKey(key), ifRefused: KMSError.keyNotFound(key.reference.arn))
    }
}
