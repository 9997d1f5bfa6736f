/// A policy document AWS would refuse with `MalformedPolicyDocumentException` (KMS) or
/// `MalformedPolicyDocument` (IAM). `reason` is the message AWS sends, so the service can pass
/// it to the client unchanged.
public struct MalformedPolicy: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// AWS's message texts, in one place so they can be checked against AWS together.
///
/// Where they come from:
/// - KMS's own key-policy checks ("…invalid principals.", "…no principal.", the key-policy-only
///   condition keys, `OverlyPermissiveCondition`): AWS KMS Developer Guide (conditions-kms,
///   the knowledge-center article on invalid principals) and errors quoted from real
///   `CreateKey`/`PutKeyPolicy` responses.
/// - IAM's grammar checks ("Syntax errors in policy.", "The policy failed legacy parsing",
///   "Policy statement must contain actions./resources.", "Policy document should not specify
///   a principal.", the action-prefix messages, SID uniqueness): errors quoted from real IAM
///   responses and the IAM policy validator of moto, which reproduces them. KMS checks the
///   policy grammar with the same rules, so key policies share these texts where KMS has no
///   message of its own.
/// - Trust policies: "Invalid principal in policy: …" and "Has prohibited field Resource." are
///   quoted from real `UpdateAssumeRolePolicy` errors.
///
/// Inferred rather than seen: "Missing required field Principal." (shaped like its sibling
/// "Has prohibited field Resource.") and the `OverlyPermissiveCondition:RequestTag` text (the
/// KMS guide gives only the encryption-context one and a generic "[encryption context or
/// tag]" form).
extension MalformedPolicy {
    static let syntaxErrors = MalformedPolicy(reason: "Syntax errors in policy.")
    static let legacyParsing = MalformedPolicy(reason: "The policy failed legacy parsing")
    static let missingActions = MalformedPolicy(reason: "Policy statement must contain actions.")
    static let missingResources = MalformedPolicy(reason: "Policy statement must contain resources.")
    static let principalInIdentityPolicy = MalformedPolicy(reason: "Policy document should not specify a principal.")
    static let duplicateSid = MalformedPolicy(reason: "Statement IDs (SID) in a single policy must be unique.")
    static let actionWithoutVendor = MalformedPolicy(
        reason: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    static let actionWithTwoColons = MalformedPolicy(reason: "Actions/Condition can contain only one colon.")

    static func invalidVendor(_ vendor: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Vendor \(vendor) is not valid")
    }

    static func resourceNotArn(_ resource: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Resource \(resource) must be in ARN format or \"*\".")
    }

    // MARK: Key policies (AWS KMS)

    static let keyPolicyInvalidPrincipals = MalformedPolicy(
        reason: "Policy contains a statement with one or more invalid principals.")
    static let keyPolicyNoPrincipal = MalformedPolicy(reason: "Policy contains a statement with no principal.")
    /// KMS refuses condition keys that only make sense in IAM policies (they describe the key
    /// itself, which a key policy is already attached to).
    static let keyPolicyForbiddenConditionKeys = MalformedPolicy(
        reason: "These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases")
    static let overlyPermissiveEncryptionContext = MalformedPolicy(
        reason: "OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued "
            + "condition key matches requests without the specified encryption context or with an unspecified "
            + "encryption context. To fix, remove ForAllValues.")
    static let overlyPermissiveRequestTag = MalformedPolicy(
        reason: "OverlyPermissiveCondition:RequestTag: Using the ForAllValues set operator with a single-valued "
            + "condition key matches requests without the specified tag or with an unspecified tag. "
            + "To fix, remove ForAllValues.")

    // MARK: Trust policies (IAM)

    static let trustPolicyMissingPrincipal = MalformedPolicy(reason: "Missing required field Principal.")
    static let trustPolicyProhibitedResource = MalformedPolicy(reason: "Has prohibited field Resource.")

    static func trustPolicyInvalidPrincipal(type: String, value: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Invalid principal in policy: \"\(type)\":\"\(value)\"")
    }
}
