/// A KMS grant as the evaluator needs it ("Grants in AWS KMS"): whom it is for, which
/// operations it allows, and its encryption-context constraints.
public struct GrantRule: Sendable, Equatable {
    public var grantId: String
    /// An account root, user, role or assumed-role ARN. A role ARN covers the role's sessions;
    /// an account root ARN covers only the root user, never the account's users or roles.
    public var granteePrincipal: String
    /// Operation names without the `kms:` prefix: `Encrypt`, `Decrypt`, `GenerateDataKey`, …
    /// A grant allows exactly these and nothing else.
    public var operations: [String]
    /// The request's encryption context must be exactly this set of pairs.
    public var encryptionContextEquals: [String: String]?
    /// The request's encryption context must include these pairs (and may have others).
    public var encryptionContextSubset: [String: String]?

    public init(
        grantId: String, granteePrincipal: String, operations: [String],
        encryptionContextEquals: [String: String]? = nil, encryptionContextSubset: [String: String]? = nil
    ) {
        self.grantId = grantId
        self.granteePrincipal = granteePrincipal
        self.operations = operations
        self.encryptionContextEquals = encryptionContextEquals
        self.encryptionContextSubset = encryptionContextSubset
    }
}
