/// Which kind of document a policy is. The kind changes what is valid: a resource policy
/// (a key policy, a role's trust policy) must name principals; an identity policy is attached
/// to a principal already and must not.
public enum PolicyKind: Sendable, Hashable {
    /// A KMS key policy: the key's resource policy, validated as AWS KMS validates
    /// `CreateKey`/`PutKeyPolicy` documents.
    case keyPolicy
    /// An IAM identity policy attached to a user, group or role, validated as IAM does.
    case identity
    /// A role's trust policy (`AssumeRolePolicyDocument`), the resource policy for `sts:AssumeRole`.
    case trust
}
