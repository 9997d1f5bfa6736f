import Foundation
import KMSModel
import KMSPolicy
import KMSStorage

/// One question for the policy simulator: may this principal perform this action on this key
/// (or, without a key, at all), with this encryption context and these other condition values?
public struct PolicySimulation: Sendable {
    /// `arn:aws:iam::<account>:root`, `…:user/<name>`, `…:role/<name>` (as a session of the role),
    /// or `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var principalArn: String
    /// `kms:Encrypt`, `kms:PutKeyPolicy`, …
    public var action: String
    /// A key ARN or alias ARN; nil for operations without a key (kms:CreateKey, kms:ListKeys, …).
    public var key: String?
    public var encryptionContext: [String: String]
    /// Further condition values, e.g. `kms:SigningAlgorithm` or `aws:SourceIp`.
    public var conditions: [String: [String]]

    public init(
        principalArn: String, action: String, key: String?, encryptionContext: [String: String] = [:],
        conditions: [String: [String]] = [:]
    ) {
        self.principalArn = principalArn
        self.action = action
        self.key = key
        self.encryptionContext = encryptionContext
        self.conditions = conditions
    }
}

/// What the simulator found: the decision, with what decided it, and AWS's denial text.
public struct PolicySimulationResult: Sendable {
    public var decision: Decision
    public var principalArn: String
    public var action: String
    public var resource: String

    public var denialMessage: String? {
        decision.isAllowed ? nil : decision.denialMessage(principalArn: principalArn, action: action, resource: resource)
    }
}

public enum PolicySimulationError: Error, Equatable, CustomStringConvertible {
    case unknownPrincipal(String)
    case unknownKey(String)
    case invalidAction(String)

    public var description: String {
        switch self {
        case .unknownPrincipal(let arn):
            "no such principal: \(arn) (use an account root, user, role or assumed-role ARN of this data folder)"
        case .unknownKey(let key): "no such key: \(key) (use a key ARN or an alias ARN)"
        case .invalidAction(let action): "the action must be kms:<Operation>, like kms:Encrypt: '\(action)'"
        }
    }
}

/// The simulated request's condition values: its encryption context as KMS offers it, and
/// whatever else the operator named.
private struct SimulatedConditions: ConditionSupplying {
    var simulation: PolicySimulation

    func conditionValues(for action: String) -> [String: [String]] {
        var values = ConditionValues()
        values.encryptionContext(simulation.encryptionContext)
        var result = values.values
        for (key, list) in simulation.conditions { result[key] = list }
        return result
    }

    func encryptionContext(for action: String) -> [String: String]? {
        simulation.encryptionContext.isEmpty ? nil : simulation.encryptionContext
    }
}

extension KeyManagementService {
    /// Answers a ``PolicySimulation`` with the same evaluation a request gets: the key policy,
    /// the principal's identity policies and the key's grants. Nothing is changed or recorded.
    public func simulate(_ simulation: PolicySimulation) async throws -> PolicySimulationResult {
        guard simulation.action.lowercased().hasPrefix("kms:"), simulation.action.count > 4 else {
            throw PolicySimulationError.invalidAction(simulation.action)
        }
        let operation = String(simulation.action.dropFirst(4))
        let target = try await simulation.key.asyncMap(simulatedKey)
        // The request is simulated in the key's Region (aws:RequestedRegion).
        let caller = try await simulatedCaller(simulation.principalArn, region: target?.key.reference.region ?? "us-east-1")
        let context = OperationContext(caller: caller, conditions: SimulatedConditions(simulation: simulation))
        context.requestAlias = target?.alias
        guard let key = target?.key else {
            let request = AuthorizationRequest(
                principal: caller.requestPrincipal, action: "kms:\(operation)", resource: "*", resourceAccount: nil,
                context: ConditionContext(SimulatedConditions(simulation: simulation).conditionValues(for: operation)))
            let decision = PolicyEvaluator.evaluateIdentityOnly(request, identityPolicies: try identityPolicies(caller))
            return PolicySimulationResult(decision: decision, principalArn: caller.principalArn, action: "kms:\(operation)", resource: "*")
        }
        let decision = try await decide(key, action: operation, context: context)
        return PolicySimulationResult(
            decision: decision, principalArn: caller.principalArn, action: "kms:\(operation)", resource: key.reference.arn)
    }

    /// The caller a principal ARN names, with its tags and identity policies as stored. A role
    /// is simulated as a session of it.
    private func simulatedCaller(_ arn: String, region: String) async throws -> Caller {
        guard let principal = RequestPrincipal(arn: arn) else { throw PolicySimulationError.unknownPrincipal(arn) }
        let account = principal.accountId
        let name = arn.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        func policies(_ owner: String) async throws -> [Caller.IdentityPolicy] {
            try await repository.identityPolicies(ownerArn: owner).map { Caller.IdentityPolicy(name: $0.policyName, document: $0.document) }
        }
        if arn == Self.rootArn(account) {
            guard try await repository.account(account) != nil else { throw PolicySimulationError.unknownPrincipal(arn) }
            return Caller.accountRoot(account, region: region, accessKeyId: "simulated")
        }
        if arn.hasPrefix("arn:aws:iam::\(account):user/") {
            guard let user = try await repository.user(accountId: account, userName: name) else {
                throw PolicySimulationError.unknownPrincipal(arn)
            }
            return Caller.user(
                accountId: account, userName: user.userName, userId: user.userId, region: region, accessKeyId: "simulated",
                tags: Dictionary(user.tags.map { ($0.tagKey, $0.tagValue) }, uniquingKeysWith: { $1 }),
                identityPolicies: try await policies(user.arn))
        }
        let isSession = arn.hasPrefix("arn:aws:sts::\(account):assumed-role/")
        guard isSession || arn.hasPrefix("arn:aws:iam::\(account):role/"),
            let role = try await repository.role(accountId: account, roleName: name)
        else {
            throw PolicySimulationError.unknownPrincipal(arn)
        }
        let sessionName = isSession ? String(arn.split(separator: "/").last ?? "simulated") : "simulated"
        let now = clock.now()
        return Caller.assumedRole(
            accountId: account,
            session: Caller.Session(
                roleArn: role.arn, roleId: role.roleId, roleName: role.roleName, sessionName: sessionName, issuedAt: now,
                expiration: now),
            region: region, accessKeyId: "simulated",
            tags: Dictionary(role.tags.map { ($0.tagKey, $0.tagValue) }, uniquingKeysWith: { $1 }),
            identityPolicies: try await policies(role.arn))
    }

    /// The key a key ARN or alias ARN names, in any account and Region of the data folder, and
    /// the alias name when it was named by one (kms:RequestAlias).
    private func simulatedKey(_ text: String) async throws -> (key: KeyRecord, alias: String?) {
        let reference: KeyReference
        var aliasName: String?
        switch KeyIdentifier(text) {
        case .keyArn(let region, let account, let id)?:
            reference = KeyReference(accountId: account, region: region, keyId: id)
        case .aliasArn(let region, let account, let name)?:
            guard let alias = try await repository.alias(accountId: account, region: region, name: name) else {
                throw PolicySimulationError.unknownKey(text)
            }
            aliasName = name
            reference = KeyReference(accountId: account, region: region, keyId: alias.targetKeyId)
        default:
            throw PolicySimulationError.unknownKey(text)
        }
        guard let key = try await repository.key(reference) else { throw PolicySimulationError.unknownKey(text) }
        return (key, aliasName)
    }
}
