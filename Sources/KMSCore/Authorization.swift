import Foundation
import KMSAudit
import KMSModel
import KMSPolicy
import KMSStorage

/// The authorization step of every request: the key policy, the caller's identity policies
/// and the key's grants, evaluated by `PolicyEvaluator` for `kms:<Action>` with the request's
/// condition values. Deny wins; without an allow the request is refused with AWS's
/// AccessDeniedException text.
extension KeyManagementService {
    /// Refuses `action` on `key` unless the caller may perform it.
    func authorize(_ key: KeyRecord, action: String, context: OperationContext) async throws {
        let caller = context.caller
        // The account's root user on a key with the default policy: that policy's only
        // statement allows the account, and the root user has no identity policies that
        // could deny. The common case, decided without evaluating anything.
        if key.policy == nil, Self.isRootArn(caller.principalArn, of: key.reference.accountId) { return }
        let decision = try await decide(key, action: action, context: context)
        guard decision.isAllowed else {
            throw KMSError(
                .accessDenied,
                decision.denialMessage(principalArn: caller.principalArn, action: "kms:\(action)", resource: key.reference.arn))
        }
    }

    /// Refuses an action on a resource no key policy governs unless the caller's identity
    /// policies allow it: operations without a key (CreateKey, ListKeys, ListAliases,
    /// GenerateRandom, ListRetirableGrants; resource `*`) and the alias side of CreateAlias,
    /// UpdateAlias and DeleteAlias (the alias ARN), which AWS authorizes by IAM policy alone.
    func authorizeWithoutKey(_ action: String, resource: String = "*", context: OperationContext) async throws {
        let caller = context.caller
        if Self.isRootArn(caller.principalArn, of: caller.accountId), caller.identityPolicies.isEmpty { return }
        let request = AuthorizationRequest(
            principal: caller.requestPrincipal, action: "kms:\(action)", resource: resource, resourceAccount: nil,
            context: try await conditionContext(action: action, key: nil, context: context))
        let decision = PolicyEvaluator.evaluateIdentityOnly(request, identityPolicies: try identityPolicies(caller))
        guard decision.isAllowed else {
            throw KMSError(
                .accessDenied,
                decision.denialMessage(principalArn: caller.principalArn, action: "kms:\(action)", resource: resource))
        }
    }

    /// The full decision for `action` on `key`, with its reason (the policy simulator prints it).
    func decide(_ key: KeyRecord, action: String, context: OperationContext) async throws -> Decision {
        let caller = context.caller
        let request = AuthorizationRequest(
            principal: caller.requestPrincipal, action: "kms:\(action)", resource: key.reference.arn,
            resourceAccount: key.reference.accountId,
            context: try await conditionContext(action: action, key: key, context: context))
        let keyPolicy = try keyPolicyDocument(key)
        let identity = try identityPolicies(caller)
        let encryptionContext = context.conditions?.encryptionContext(for: action)
        let decision = PolicyEvaluator.evaluate(
            request, keyPolicy: keyPolicy, identityPolicies: identity, grants: [], encryptionContext: encryptionContext)
        if decision.isAllowed { return decision }
        if case .explicitDeny = decision.reason { return decision }
        // Grants are read only when the policies alone refuse: most requests never need them.
        let grants = try await grantRules(key)
        if grants.isEmpty { return decision }
        return PolicyEvaluator.evaluate(
            request, keyPolicy: keyPolicy, identityPolicies: identity, grants: grants, encryptionContext: encryptionContext)
    }

    static func rootArn(_ accountId: String) -> String { "arn:aws:iam::\(accountId):root" }

    /// Whether `arn` is `rootArn(accountId)`, compared without building that string: every
    /// request by an account's root user asks.
    static func isRootArn(_ arn: String, of accountId: String) -> Bool {
        // Over the strings' contiguous bytes: comparing their UTF8Views element by element
        // took 0.5 % of the event loops under Encrypt load (perf), a quarter of a microsecond.
        let prefix: StaticString = "arn:aws:iam::"
        let suffix: StaticString = ":root"
        var arn = arn
        var accountId = accountId
        return arn.withUTF8 { arn in
            accountId.withUTF8 { account in
                guard arn.count == prefix.utf8CodeUnitCount + account.count + suffix.utf8CodeUnitCount else { return false }
                let bytes = UnsafeRawBufferPointer(arn)
                return memcmp(bytes.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
                    && (account.isEmpty
                        || memcmp(bytes.baseAddress! + prefix.utf8CodeUnitCount, account.baseAddress!, account.count) == 0)
                    && memcmp(bytes.baseAddress! + prefix.utf8CodeUnitCount + account.count, suffix.utf8Start, suffix.utf8CodeUnitCount) == 0
            }
        }
    }

    /// The key's policy, parsed once per distinct text.
    func keyPolicyDocument(_ key: KeyRecord) throws -> PolicyDocument {
        guard let text = key.policy else { return try policyCache.defaultKeyPolicy(accountId: key.reference.accountId) }
        return try policyCache.document(text, kind: .keyPolicy)
    }

    /// The caller's identity policies, parsed once per distinct text. A stored policy that no
    /// longer parses is a broken store, never silently skipped: a Deny in it would be lost.
    func identityPolicies(_ caller: Caller) throws -> [NamedPolicy] {
        try caller.identityPolicies.map { policy in
            NamedPolicy(name: policy.name, document: try policyCache.document(policy.document, kind: .identity))
        }
    }

    /// The condition values of one authorization: the request's own, the key's, the caller's
    /// and the connection's. Alias and tag lookups cost a read, so they are made only when an
    /// identity policy mentions them (key policies may not use them).
    private func conditionContext(action: String, key: KeyRecord?, context: OperationContext) async throws -> ConditionContext {
        var values = ConditionContext(context.conditions?.conditionValues(for: action) ?? [:])
        let caller = context.caller
        values.set("kms:CallerAccount", caller.accountId)
        values.set("aws:RequestedRegion", caller.region)
        values.set("aws:SecureTransport", "false")
        let now = clock.now()
        values.set("aws:CurrentTime", CloudTrailTime.format(now))
        values.set("aws:EpochTime", String(Int(now.timeIntervalSince1970)))
        if let ip = context.sourceIPAddress, !ip.isEmpty { values.set("aws:SourceIp", ip) }
        if let alias = context.requestAlias { values.set("kms:RequestAlias", alias) }
        guard let key else { return values }
        values.set("kms:KeySpec", key.keySpec.rawValue)
        values.set("kms:KeyUsage", key.keyUsage.rawValue)
        values.set("kms:KeyOrigin", key.origin.rawValue)
        values.set("kms:MultiRegion", String(key.multiRegion))
        if let primary = key.primaryRegion {
            values.set("kms:MultiRegionKeyType", primary == key.reference.region ? "PRIMARY" : "REPLICA")
        }
        let needs = caller.identityPolicies.reduce(into: ConditionNeeds()) { needs, policy in
            let mentions = policyCache.needs(policy.document)
            needs.resourceAliases = needs.resourceAliases || mentions.resourceAliases
            needs.resourceTags = needs.resourceTags || mentions.resourceTags
        }
        if needs.resourceAliases {
            let aliases = try await boundary {
                try await repository.listAliases(
                    accountId: key.reference.accountId, region: key.reference.region, targetKeyId: key.reference.keyId,
                    after: nil, limit: 1000)
            }
            if !aliases.isEmpty { values.set("kms:ResourceAliases", values: aliases.map(\.aliasName)) }
        }
        if needs.resourceTags {
            for tag in try await boundary({ try await repository.tags(key.reference) }) {
                values.set("aws:ResourceTag/\(tag.tagKey)", tag.tagValue)
            }
        }
        return values
    }
}

extension KeyManagementService {
    /// The key's grants as the evaluator weighs them.
    func grantRules(_ key: KeyRecord) async throws -> [GrantRule] {
        try await boundary { try await repository.grants(of: key.reference) }.map { grant in
            GrantRule(
                grantId: grant.grantId, granteePrincipal: grant.granteePrincipal,
                operations: grant.operations.map(\.rawValue),
                encryptionContextEquals: grant.constraints?.encryptionContextEquals,
                encryptionContextSubset: grant.constraints?.encryptionContextSubset)
        }
    }

    /// The lockout safety check of CreateKey, PutKeyPolicy and ReplicateKey: unless the caller
    /// bypasses it, a new key policy must still let the caller change the policy later.
    func checkPolicyLockout(_ document: PolicyDocument, keyArn: String, keyAccount: String, bypass: Bool?, context: OperationContext) throws {
        if bypass == true { return }
        let caller = context.caller
        let request = AuthorizationRequest(
            principal: caller.requestPrincipal, action: "kms:PutKeyPolicy", resource: keyArn, resourceAccount: keyAccount,
            context: ConditionContext())
        let decision = PolicyEvaluator.evaluate(
            request, keyPolicy: document, identityPolicies: try identityPolicies(caller), grants: [], encryptionContext: nil)
        guard decision.isAllowed else { throw KMSError.policyLockout }
    }

    /// A key policy document as CreateKey, PutKeyPolicy and ReplicateKey accept it: at most
    /// 32 KB, JSON, and AWS's policy grammar (MalformedPolicyDocumentException with its reason).
    func parseKeyPolicy(_ text: String) throws -> PolicyDocument {
        try validateKeyPolicyDocument(text)
        return try policyCache.document(text, kind: .keyPolicy)
    }
}

extension Caller {
    /// The caller as the policy evaluator sees it.
    var requestPrincipal: RequestPrincipal {
        RequestPrincipal(arn: principalArn, accountId: accountId, roleArn: session?.roleArn, tags: tags)
    }
}
