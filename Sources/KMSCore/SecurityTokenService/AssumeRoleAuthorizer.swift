import Foundation
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

/// A deliberately narrow first implementation of ``AssumeRoleAuthorizer``, to be replaced by
/// the policy evaluator. It understands `Effect`, `Principal` (`"*"` or `"AWS"` ARNs and account
/// ids), `Action` and `Resource` (with `*` and `?` wildcards), and errs on the side of refusing:
/// a statement with a `Condition`, `NotPrincipal`, `NotAction` or `NotResource` never allows,
/// and such a Deny statement always applies. A document that does not parse allows nothing.
public struct InterimTrustPolicyAuthorizer: AssumeRoleAuthorizer {
    static let action = "sts:AssumeRole"

    public init() {}

    public func authorize(_ request: AssumeRoleAuthorization) -> AssumeRoleDecision {
        let caller = request.caller
        let role = request.role
        guard let trust = Self.statements(request.role.trustPolicy) else { return .denied(reason: "trust policy does not parse") }
        let identity = caller.identityPolicies.compactMap { Self.statements($0.document) }.flatMap { $0 }

        // The principals a trust policy may name for this caller.
        var direct: Set<String> = [caller.principalArn]
        if let session = caller.session { direct.insert(session.roleArn) }
        let account: Set<String> = ["arn:aws:iam::\(caller.accountId):root", caller.accountId]

        func names(_ statement: Statement, _ set: Set<String>) -> Bool { statement.principals.contains { set.contains($0) } }
        func trustDenies(_ statement: Statement) -> Bool {
            statement.effect == .deny && statement.matches(action: Self.action)
                && (statement.unsupportedPrincipal || statement.principals.contains("*") || names(statement, direct)
                    || names(statement, account))
        }
        if trust.contains(where: trustDenies) { return .denied(reason: "the trust policy denies sts:AssumeRole") }
        let identityDenies = identity.contains {
            $0.effect == .deny && $0.matches(action: Self.action) && $0.matches(resource: role.arn)
        }
        if identityDenies { return .denied(reason: "an identity policy denies sts:AssumeRole on the role") }

        let trustAllows = trust.filter { $0.effect == .allow && $0.isUnconditional && $0.matches(action: Self.action) }
        let namedDirectly = trustAllows.contains { $0.principals.contains("*") || names($0, direct) }
        let namedAccount = trustAllows.contains { names($0, account) }
        guard namedDirectly || namedAccount else { return .denied(reason: "the trust policy does not allow the caller") }
        if namedDirectly && caller.accountId == role.accountId { return .allowed }
        let identityAllows = identity.contains {
            $0.effect == .allow && $0.isUnconditional && $0.matches(action: Self.action) && $0.matches(resource: role.arn)
        }
        return identityAllows
            ? .allowed : .denied(reason: "the caller's identity policies do not allow sts:AssumeRole on the role")
    }

    // MARK: The little of the grammar this needs

    struct Statement {
        enum Effect { case allow, deny }
        var effect: Effect
        /// `"*"` for anyone, else ARNs and account ids named under `"AWS"`.
        var principals: [String]
        var actions: [String]
        var resources: [String]
        /// No Condition, NotPrincipal, NotAction or NotResource, which are not understood here.
        var isUnconditional: Bool
        var unsupportedPrincipal: Bool
        var notAction: Bool
        var notResource: Bool

        /// A NotAction statement is taken to match when it denies, never when it allows.
        func matches(action: String) -> Bool {
            notAction ? effect == .deny : actions.contains { Self.glob($0.lowercased(), action.lowercased()) }
        }

        func matches(resource: String) -> Bool {
            notResource ? effect == .deny : resources.contains { Self.glob($0, resource) }
        }

        /// `*` matches any run of characters, `?` any one.
        static func glob(_ pattern: String, _ text: String) -> Bool {
            let p = Array(pattern.unicodeScalars)
            let t = Array(text.unicodeScalars)
            var pi = 0
            var ti = 0
            var star = -1
            var mark = 0
            while ti < t.count {
                if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                    pi += 1
                    ti += 1
                } else if pi < p.count, p[pi] == "*" {
                    star = pi
                    mark = ti
                    pi += 1
                } else if star >= 0 {
                    pi = star + 1
                    mark += 1
                    ti = mark
                } else {
                    return false
                }
            }
            while pi < p.count, p[pi] == "*" { pi += 1 }
            return pi == p.count
        }
    }

    static func statements(_ document: String) -> [Statement]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else { return nil }
        let raw: [[String: Any]]
        if let list = object["Statement"] as? [[String: Any]] {
            raw = list
        } else if let single = object["Statement"] as? [String: Any] {
            raw = [single]
        } else {
            return nil
        }
        return raw.compactMap { entry in
            let effect: Statement.Effect
            switch entry["Effect"] as? String {
            case "Allow": effect = .allow
            case "Deny": effect = .deny
            default: return nil
            }
            var principals: [String] = []
            if let principal = entry["Principal"] as? String {
                principals = [principal]
            } else if let principal = entry["Principal"] as? [String: Any] {
                principals = strings(principal["AWS"])
            }
            let unsupported = entry["Condition"] != nil || entry["NotPrincipal"] != nil || entry["NotAction"] != nil
                || entry["NotResource"] != nil
            return Statement(
                effect: effect, principals: principals, actions: strings(entry["Action"]), resources: strings(entry["Resource"]),
                isUnconditional: !unsupported, unsupportedPrincipal: entry["NotPrincipal"] != nil,
                notAction: entry["NotAction"] != nil, notResource: entry["NotResource"] != nil)
        }
    }

    private static func strings(_ value: Any?) -> [String] {
        if let one = value as? String { return [one] }
        return value as? [String] ?? []
    }
}
