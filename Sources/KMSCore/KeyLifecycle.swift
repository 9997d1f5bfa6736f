import KMSModel

/// The key-state machine of the lifecycle operations, kept apart so its every edge is tested.
/// [Key states](https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html)
public enum KeyLifecycleEvent: Sendable {
    case enable
    case disable
    case scheduleDeletion
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
        case (.cancelDeletion, .pendingDeletion): return .disabled
        case (.cancelDeletion, _): throw KMSError(.invalidState, "\(arn) is not pending deletion.")
        default: throw KMSError.invalidState(arn, state)
        }
    }
}
