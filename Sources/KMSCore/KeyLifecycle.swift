import KMSModel

/// The key-state machine of the lifecycle operations, kept apart so its every edge is tested.
/// [Key states](https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html)
public enum KeyLifecycleEvent: Sendable {
    case enable
    case disable
    case scheduleDeletion
    /// Scheduling the deletion of a multi-Region primary key that still has replicas: it waits,
    /// PendingReplicaDeletion, and its own waiting period starts when its last replica is deleted
    /// ([Deleting multi-Region keys](https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-delete.html)).
    /// That last step is the store's (``KMSStorage/Mutation/beginPrimaryDeletionWindow(accountId:keyId:startingAt:)``),
    /// committed with the replica's deletion.
    case scheduleDeletionAfterReplicas
    case cancelDeletion
}

public enum KeyLifecycle {
    /// The state a key moves to, or the AWS error that refuses the move.
    public static func transition(from state: KeyState, on event: KeyLifecycleEvent, arn: String) throws -> KeyState {
        switch (event, state) {
        case (.enable, .enabled), (.enable, .disabled): return .enabled
        case (.disable, .enabled), (.disable, .disabled): return .disabled
        case (.scheduleDeletion, .enabled), (.scheduleDeletion, .disabled), (.scheduleDeletion, .pendingImport):
            return .pendingDeletion
        case (.scheduleDeletionAfterReplicas, .enabled), (.scheduleDeletionAfterReplicas, .disabled),
            (.scheduleDeletionAfterReplicas, .pendingImport):
            return .pendingReplicaDeletion
        case (.cancelDeletion, .pendingDeletion), (.cancelDeletion, .pendingReplicaDeletion): return .disabled
        case (.cancelDeletion, _): throw KMSError(.invalidState, "\(arn) is not pending deletion.")
        default: throw KMSError.invalidState(arn, state)
        }
    }
}

extension KeyState {
    /// Scheduled for deletion, whether its waiting period runs (PendingDeletion) or waits for the
    /// replicas of a multi-Region primary (PendingReplicaDeletion): either way the key can be
    /// neither used nor changed, only described and have its deletion cancelled.
    var isScheduledForDeletion: Bool { self == .pendingDeletion || self == .pendingReplicaDeletion }
}
