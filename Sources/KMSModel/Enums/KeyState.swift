/// The state of a KMS key, as KeyMetadata reports it.
/// [Key states](https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html)
public enum KeyState: String, WireEnum {
    case creating = "Creating"
    case enabled = "Enabled"
    case disabled = "Disabled"
    case pendingDeletion = "PendingDeletion"
    case pendingImport = "PendingImport"
    case pendingReplicaDeletion = "PendingReplicaDeletion"
    case unavailable = "Unavailable"
    case updating = "Updating"
}
