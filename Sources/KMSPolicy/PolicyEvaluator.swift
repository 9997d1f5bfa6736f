/// AWS's authorization decision for KMS keys, for operations without a resource, and for
/// `sts:AssumeRole`, as the AWS KMS Developer Guide ("Determining access to a KMS key",
/// "Allowing users in other accounts to use a KMS key") and the IAM User Guide ("Policy
/// evaluation logic", "Cross-account policy evaluation logic") describe it.
///
/// The order, for a key:
/// 1. An explicit `Deny` that applies, in the key policy or any identity policy, decides:
///    denied, whatever else allows (grants included).
/// 2. The key policy allows the caller itself (its user ARN, its role for a session, its
///    session ARN, or everyone) and the caller belongs to the key's account: allowed. A
///    resource policy needs no identity policy within its own account.
/// 3. The key policy allows the caller's account (`arn:aws:iam::ACCT:root` or `ACCT`), or
///    for a caller from another account allows it in any form, and an identity policy of the
///    caller allows the action on the key: allowed. The account's root user has no identity
///    policies and needs none.
/// 4. A grant for the caller lists the operation and its constraints hold: allowed.
/// 5. Otherwise denied: "no identity-based policy" when step 3 only lacked the identity
///    policy, else "no resource-based policy".
///
/// Unlike most AWS resources, a KMS key is never reachable through identity policies alone:
/// without a key policy statement for the account, even the account's administrators are
/// refused.
public enum PolicyEvaluator {
    /// The whole KMS decision for a request on a key.
    ///
    /// - Parameters:
    ///   - keyPolicy: the key's policy; `nil` means the key has none, so only grants can allow.
    ///     (A key created without a policy has `DefaultKeyPolicy`; pass it.)
    ///   - identityPolicies: every identity policy of the caller (a user's own and its groups',
    ///     or a session's role's); empty for the account root.
    ///   - grants: the key's grants.
    ///   - encryptionContext: the request's encryption context, for grant constraints.
    public static func evaluate(
        _ request: AuthorizationRequest, keyPolicy: PolicyDocument?, identityPolicies: [NamedPolicy],
        grants: [GrantRule], encryptionContext: [String: String]?
    ) -> Decision {
        evaluateWithResourcePolicy(
            request, resourcePolicy: keyPolicy, as: .keyPolicy, resourceAccount: request.resourceAccount,
            identityPolicies: identityPolicies, grants: grants, encryptionContext: encryptionContext)
    }

    /// Operations with no key resource (CreateKey, ListKeys, ListAliases, GenerateRandom, and
    /// IAM/STS-side checks): identity policies alone decide. The account root is allowed
    /// unless an identity policy handed in denies it.
    public static func evaluateIdentityOnly(_ request: AuthorizationRequest, identityPolicies: [NamedPolicy]) -> Decision {
        let context = effectiveContext(request)
        let identity = identityStatements(identityPolicies, request: request, context: context)
        if let deny = identity.deny { return .denied(.explicitDeny(deny)) }
        if request.principal.isAccountRoot { return .allowed(.accountRoot) }
        if let allow = identity.allow { return .allowed(.identityPolicyAllows(allow)) }
        return .denied(.noIdentityPolicyAllows(delegatedBy: nil))
    }

    /// `sts:AssumeRole` on a role: its trust policy is the resource policy, evaluated as a key
    /// policy is (a trust policy naming the caller needs no identity policy in the role's own
    /// account; naming the account, or admitting another account, needs one).
    /// `request.resource` is the role's ARN.
    public static func evaluateTrust(
        _ request: AuthorizationRequest, trustPolicy: PolicyDocument, roleAccount: String, identityPolicies: [NamedPolicy]
    ) -> Decision {
        evaluateWithResourcePolicy(
            request, resourcePolicy: trustPolicy, as: .trustPolicy, resourceAccount: roleAccount,
            identityPolicies: identityPolicies, grants: [], encryptionContext: nil)
    }

    // MARK: The shared logic

    private static func evaluateWithResourcePolicy(
        _ request: AuthorizationRequest, resourcePolicy: PolicyDocument?, as kind: ResourcePolicy,
        resourceAccount: String?, identityPolicies: [NamedPolicy], grants: [GrantRule],
        encryptionContext: [String: String]?
    ) -> Decision {
        let context = effectiveContext(request)
        let policyReference: StatementReference.Policy = kind == .keyPolicy ? .keyPolicy : .trustPolicy
        let resource =
            resourcePolicy.map { ApplicableStatements($0, as: policyReference, request: request, context: context) }
            ?? ApplicableStatements()
        let identity = identityStatements(identityPolicies, request: request, context: context)

        // 1. Deny wins. The resource policy is reported first: it is the key's own word.
        if let deny = resource.deny ?? identity.deny { return .denied(.explicitDeny(deny)) }

        let sameAccount = resourceAccount == nil || resourceAccount == request.principal.accountId
        // 2. The resource policy names the caller, within the resource's account.
        if sameAccount, let direct = resource.allows.first(where: { $0.match == .direct }) {
            return .allowed(.resourcePolicyAllows(direct.statement))
        }
        // 3. The resource policy admits the caller's account (or the caller, across accounts):
        //    the caller's identity policies must agree.
        let delegation = resource.allows.first?.statement
        if let delegation {
            if request.principal.isAccountRoot { return .allowed(.resourcePolicyAllows(delegation)) }
            if let allow = identity.allow {
                return .allowed(.resourceAndIdentityPolicyAllow(resource: delegation, identity: allow))
            }
        }
        // 4. Grants.
        if let grant = GrantEvaluation.allowingGrant(
            grants, principal: request.principal, action: request.action, encryptionContext: encryptionContext)
        {
            return .allowed(.grantAllows(grantId: grant.grantId))
        }
        // 5. Nothing allows.
        if let delegation { return .denied(.noIdentityPolicyAllows(delegatedBy: delegation)) }
        return .denied(.noResourcePolicyAllows(kind))
    }

    /// The first applicable Deny and Allow across the caller's identity policies.
    private static func identityStatements(
        _ policies: [NamedPolicy], request: AuthorizationRequest, context: ConditionContext
    ) -> (deny: StatementReference?, allow: StatementReference?) {
        var deny: StatementReference?
        var allow: StatementReference?
        for policy in policies {
            let applicable = ApplicableStatements(
                policy.document, as: .identityPolicy(name: policy.name), request: request, context: context)
            if deny == nil { deny = applicable.deny }
            if allow == nil { allow = applicable.allows.first?.statement }
            if deny != nil { break }
        }
        return (deny, allow)
    }

    /// The request's context with the caller's global keys filled in where the service gave
    /// none: `aws:PrincipalArn` (a session's role ARN, as IAM reports it), `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:PrincipalTag/<key>` and, for IAM users, `aws:username`.
    static func effectiveContext(_ request: AuthorizationRequest) -> ConditionContext {
        var context = request.context
        let principal = request.principal
        context.setIfAbsent("aws:PrincipalArn", [principal.roleArn ?? principal.arn])
        context.setIfAbsent("aws:PrincipalAccount", [principal.accountId])
        context.setIfAbsent("aws:PrincipalType", [principal.principalType])
        if let userName = principal.userName { context.setIfAbsent("aws:username", [userName]) }
        for (key, value) in principal.tags { context.setIfAbsent("aws:PrincipalTag/\(key)", [value]) }
        return context
    }
}

extension ApplicableStatements {
    /// No resource policy: nothing applies.
    fileprivate init() {
        deny = nil
        allows = []
    }
}
