/// Whether a grant allows a request ("Grants in AWS KMS", "GrantConstraints").
///
/// - The grantee must be the caller: the same ARN, or the caller's role for an assumed-role
///   session. An account root grantee is only the root user; unlike a key policy, a grant does
///   not delegate to the account's identities.
/// - The operation must be listed: a grant never allows anything it does not name.
/// - Constraints hold: `EncryptionContextEquals` wants the request's context to be exactly the
///   constraint's pairs, `EncryptionContextSubset` wants the constraint's pairs among the
///   request's. AWS compares constraint keys without regard to case and values exactly ("in a
///   grant constraint, the key in each key-value pair is not case sensitive, but the value is
///   case sensitive"). No context in the request is an empty context.
/// - Constraints apply only to the operations that take an encryption context; for any other
///   operation the grant lists (`DescribeKey`, `RetireGrant`, …) they are ignored, as AWS does.
///   (Whether a grant allowing `CreateGrant` may create a grant with looser constraints is
///   for the CreateGrant operation to check; it is not a request-context question.)
enum GrantEvaluation {
    static let operationsWithEncryptionContext: Set<String> = [
        "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    ]

    /// The first grant allowing the request, if any.
    static func allowingGrant(
        _ grants: [GrantRule], principal: RequestPrincipal, action: String, encryptionContext: [String: String]?
    ) -> GrantRule? {
        guard let operation = kmsOperation(action) else { return nil }
        let context = encryptionContext ?? [:]
        return grants.first { grant in
            (grant.granteePrincipal == principal.arn || grant.granteePrincipal == principal.roleArn)
                && grant.operations.contains(operation)
                && (!operationsWithEncryptionContext.contains(operation) || constraintsHold(grant, context))
        }
    }

    /// `kms:Decrypt` → `Decrypt`; actions of other services are never granted.
    private static func kmsOperation(_ action: String) -> String? {
        let parts = action.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "kms" else { return nil }
        return String(parts[1])
    }

    private static func constraintsHold(_ grant: GrantRule, _ context: [String: String]) -> Bool {
        if let required = grant.encryptionContextEquals {
            guard required.count == context.count, contains(context, required), contains(required, context) else {
                return false
            }
        }
        if let required = grant.encryptionContextSubset, !contains(context, required) { return false }
        return true
    }

    /// Whether every pair of `pairs` is in `context`, keys compared without case.
    private static func contains(_ context: [String: String], _ pairs: [String: String]) -> Bool {
        pairs.allSatisfy { pair in
            context.contains { $0.key.lowercased() == pair.key.lowercased() && $0.value == pair.value }
        }
    }
}
