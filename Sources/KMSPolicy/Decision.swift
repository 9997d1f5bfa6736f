/// The outcome of an authorization, with what decided it.
public struct Decision: Sendable, Equatable {
    public var isAllowed: Bool
    public var reason: DecisionReason

    public init(isAllowed: Bool, reason: DecisionReason) {
        self.isAllowed = isAllowed
        self.reason = reason
    }

    static func allowed(_ reason: DecisionReason) -> Decision { Decision(isAllowed: true, reason: reason) }
    static func denied(_ reason: DecisionReason) -> Decision { Decision(isAllowed: false, reason: reason) }

    /// AWS's `AccessDeniedException` message for this decision, in the format of "Troubleshoot
    /// access denied error messages" (IAM User Guide):
    ///
    /// - `User: <arn> is not authorized to perform: <action> on resource: <resource> because no identity-based policy allows the <action> action`
    /// - `… because no resource-based policy allows the <action> action`
    /// - `… with an explicit deny in an identity-based policy`
    /// - `… with an explicit deny in a resource-based policy`
    /// - `… with an explicit deny in the role trust policy` (sts:AssumeRole)
    ///
    /// STS leaves the reason out when no trust policy statement admits the caller
    /// (`User: … is not authorized to perform: sts:AssumeRole on resource: <role-arn>`), and so
    /// does this. An empty `resource` drops the "on resource" part, as AWS does for actions
    /// without one.
    public func denialMessage(principalArn: String, action: String, resource: String) -> String {
        var message = "User: \(principalArn) is not authorized to perform: \(action)"
        if !resource.isEmpty { message += " on resource: \(resource)" }
        switch reason {
        case .explicitDeny(let statement):
            switch statement.policy {
            case .keyPolicy: message += " with an explicit deny in a resource-based policy"
            case .identityPolicy: message += " with an explicit deny in an identity-based policy"
            case .trustPolicy: message += " with an explicit deny in the role trust policy"
            }
        case .noResourcePolicyAllows(let policy):
            if policy == .keyPolicy { message += " because no resource-based policy allows the \(action) action" }
        case .noIdentityPolicyAllows:
            message += " because no identity-based policy allows the \(action) action"
        case .resourcePolicyAllows, .resourceAndIdentityPolicyAllow, .identityPolicyAllows, .accountRoot,
            .grantAllows:
            break
        }
        return message
    }

    /// One line for the policy simulator and the server log, e.g.
    /// `allowed by key policy statement "Enable IAM User Permissions"` or
    /// `denied: explicit deny in identity policy "x" statement 2`.
    public var explanation: String {
        switch reason {
        case .resourcePolicyAllows(let statement):
            "allowed by \(statement)"
        case .resourceAndIdentityPolicyAllow(let resource, let identity):
            "allowed by \(resource) and \(identity)"
        case .identityPolicyAllows(let statement):
            "allowed by \(statement)"
        case .accountRoot:
            "allowed: the account's root user needs no identity policy"
        case .grantAllows(let grantId):
            "allowed by grant \(grantId)"
        case .explicitDeny(let statement):
            "denied: explicit deny in \(statement)"
        case .noResourcePolicyAllows(let policy):
            "denied: no \(policy) statement allows the caller"
        case .noIdentityPolicyAllows(let delegatedBy?):
            "denied: \(delegatedBy) leaves the decision to identity policies, and none allows the action"
        case .noIdentityPolicyAllows(nil):
            "denied: no identity policy allows the action"
        }
    }
}

/// What decided a request.
public enum DecisionReason: Sendable, Equatable {
    /// The key policy (or trust policy) names the caller itself, in the caller's own account:
    /// no identity policy is needed.
    case resourcePolicyAllows(StatementReference)
    /// The key policy (or trust policy) admits the caller's account, or the caller from another
    /// account, and the caller's identity policy allows the action.
    case resourceAndIdentityPolicyAllow(resource: StatementReference, identity: StatementReference)
    /// An identity policy allows an operation that has no resource policy (CreateKey, ListKeys…).
    case identityPolicyAllows(StatementReference)
    /// The account root user, for an operation that has no resource policy.
    case accountRoot
    /// A grant allows the operation.
    case grantAllows(grantId: String)
    /// A Deny statement matched; nothing else counts.
    case explicitDeny(StatementReference)
    /// The resource policy admits neither the caller nor its account, and no grant applies.
    case noResourcePolicyAllows(ResourcePolicy)
    /// No identity policy allows the action; `delegatedBy` is the resource-policy statement
    /// that left the decision to identity policies, if there was one.
    case noIdentityPolicyAllows(delegatedBy: StatementReference?)
}

/// The resource policies the evaluator knows.
public enum ResourcePolicy: Sendable, Equatable, CustomStringConvertible {
    case keyPolicy
    case trustPolicy

    public var description: String {
        switch self {
        case .keyPolicy: "key policy"
        case .trustPolicy: "trust policy"
        }
    }
}

/// Which statement of which policy: `key policy statement "Sid"`, or by position when the
/// statement has no Sid (`identity policy "name" statement 2`, counted from 1).
public struct StatementReference: Sendable, Equatable, CustomStringConvertible {
    public enum Policy: Sendable, Equatable {
        case keyPolicy
        case trustPolicy
        case identityPolicy(name: String)
    }

    public var policy: Policy
    /// The statement's position in its document, from 0.
    public var index: Int
    public var sid: String?

    public init(policy: Policy, index: Int, sid: String?) {
        self.policy = policy
        self.index = index
        self.sid = sid
    }

    public var description: String {
        let document =
            switch policy {
            case .keyPolicy: "key policy"
            case .trustPolicy: "trust policy"
            case .identityPolicy(let name): "identity policy \"\(name)\""
            }
        if let sid, !sid.isEmpty { return "\(document) statement \"\(sid)\"" }
        return "\(document) statement \(index + 1)"
    }
}
