import Foundation
import KMSPolicy
import KMSStorage

/// What AssumeRole asks the authorizer: may `caller` assume `role`, with these request
/// condition values (`sts:RoleSessionName`, `sts:ExternalId`, `aws:PrincipalArn`, …)?
public struct AssumeRoleAuthorization: Sendable {
    public var caller: Caller
    public var role: RoleRecord
    public var conditionValues: [String: [String]]

    public init(caller: Caller, role: RoleRecord, conditionValues: [String: [String]]) {
        self.caller = caller
        self.role = role
        self.conditionValues = conditionValues
    }
}

public enum AssumeRoleDecision: Sendable, Equatable {
    case allowed
    /// Refused. `reason` is for the server log only; `message`, when given, is the AccessDenied
    /// text the caller gets (an evaluator may word an explicit deny as AWS does), otherwise
    /// AWS's plain `User: … is not authorized to perform: sts:AssumeRole on resource: …`.
    case denied(reason: String, message: String? = nil)
}

/// The decision behind AssumeRole, as AWS makes it: the role's trust policy must allow the
/// caller `sts:AssumeRole`; when it trusts the caller only through the caller's account
/// (`"AWS": "arn:aws:iam::<account>:root"`), or the caller is in another account, the caller's
/// identity policies must allow `sts:AssumeRole` on the role as well; an explicit Deny in
/// either wins. [Role trust](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_compare-resource-policies.html)
///
/// ``InterimTrustPolicyAuthorizer`` is the first implementation; the KMSPolicy evaluator
/// replaces it (with conditions, NotPrincipal and the rest of the grammar).
public protocol AssumeRoleAuthorizer: Sendable {
    func authorize(_ request: AssumeRoleAuthorization) -> AssumeRoleDecision
}

/// ``AssumeRoleAuthorizer`` by the policy evaluator: the role's trust policy is the resource
/// policy for `sts:AssumeRole` on the role, with the caller's identity policies beside it, as
/// `PolicyEvaluator.evaluateTrust` decides (conditions, NotPrincipal and the whole grammar).
public struct TrustPolicyAuthorizer: AssumeRoleAuthorizer {
    static let action = "sts:AssumeRole"
    private let policies = PolicyCache()

    public init() {}

    public func authorize(_ request: AssumeRoleAuthorization) -> AssumeRoleDecision {
        let caller = request.caller
        let role = request.role
        let trust: PolicyDocument
        let identity: [NamedPolicy]
        do {
            trust = try policies.document(role.trustPolicy, kind: .trust)
            identity = try caller.identityPolicies.map {
                NamedPolicy(name: $0.name, document: try policies.document($0.document, kind: .identity))
            }
        } catch {
            return .denied(reason: "a stored policy does not parse: \(error)")
        }
        let authorization = AuthorizationRequest(
            principal: caller.requestPrincipal, action: Self.action, resource: role.arn, resourceAccount: role.accountId,
            context: ConditionContext(request.conditionValues))
        let decision = PolicyEvaluator.evaluateTrust(
            authorization, trustPolicy: trust, roleAccount: role.accountId, identityPolicies: identity)
        if decision.isAllowed { return .allowed }
        return .denied(
            reason: decision.explanation,
            message: decision.denialMessage(principalArn: caller.principalArn, action: Self.action, resource: role.arn))
    }
}
