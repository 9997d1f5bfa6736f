import Foundation
import KMSModel

/// The principals of a ``MemoryKeyRepository``. Names are keyed in lower case: IAM names are
/// unique regardless of case.
struct MemoryPrincipals {
    var accounts: [String: AccountRecord] = [:]
    /// By account, then lower-cased name.
    var users: [String: [String: UserRecord]] = [:]
    var roles: [String: [String: RoleRecord]] = [:]
    /// By owner ARN, then policy name.
    var policies: [String: [String: IdentityPolicyRecord]] = [:]
    /// Every user and role id ever handed out that still exists.
    var ids: Set<String> = []
}

extension MemoryKeyRepository {
    public func applyPrincipalChange(_ change: PrincipalChange, audit: AuditEntry?) throws {
        // Work on a copy, as a transaction would: a refused change leaves no trace.
        var draft = state
        try Self.apply(change, to: &draft)
        if let audit { _ = Self.appendAuditRecord(audit, to: &draft) }
        state = draft
        principalChanges.withLock { $0 &+= 1 }
    }

    public nonisolated func principalChangeStamp() -> PrincipalChangeStamp {
        PrincipalChangeStamp(principalChanges.withLock { $0 })
    }

    private static func apply(_ change: PrincipalChange, to s: inout State) throws {
        switch change {
        case .createAccount(let account, let rootKey):
            guard s.principals.accounts[account.accountId] == nil, s.credentials[rootKey.accessKeyId] == nil else {
                throw RepositoryError.alreadyExists
            }
            s.principals.accounts[account.accountId] = account
            s.credentials[rootKey.accessKeyId] = rootKey
        case .createUser(let user):
            guard s.principals.accounts[user.accountId] != nil else { throw RepositoryError.notFound }
            guard s.principals.users[user.accountId]?[user.userName.iamNameKey] == nil, !s.principals.ids.contains(user.userId)
            else { throw RepositoryError.alreadyExists }
            s.principals.users[user.accountId, default: [:]][user.userName.iamNameKey] = user
            s.principals.ids.insert(user.userId)
        case .deleteUser(let accountId, let userName):
            guard let user = s.principals.users[accountId]?.removeValue(forKey: userName.iamNameKey) else {
                throw RepositoryError.notFound
            }
            s.principals.ids.remove(user.userId)
            s.credentials = s.credentials.filter { $0.value.principalArn != user.arn }
            s.principals.policies[user.arn] = nil
        case .createRole(let role):
            guard s.principals.accounts[role.accountId] != nil else { throw RepositoryError.notFound }
            guard s.principals.roles[role.accountId]?[role.roleName.iamNameKey] == nil, !s.principals.ids.contains(role.roleId)
            else { throw RepositoryError.alreadyExists }
            s.principals.roles[role.accountId, default: [:]][role.roleName.iamNameKey] = role
            s.principals.ids.insert(role.roleId)
        case .deleteRole(let accountId, let roleName):
            guard let role = s.principals.roles[accountId]?.removeValue(forKey: roleName.iamNameKey) else {
                throw RepositoryError.notFound
            }
            s.principals.ids.remove(role.roleId)
            s.principals.policies[role.arn] = nil
        case .putPolicy(let policy):
            guard ownerExists(policy.ownerArn, s) else { throw RepositoryError.notFound }
            s.principals.policies[policy.ownerArn, default: [:]][policy.policyName] = policy
        case .deletePolicy(let ownerArn, let policyName):
            guard s.principals.policies[ownerArn]?.removeValue(forKey: policyName) != nil else { throw RepositoryError.notFound }
        case .createAccessKey(let credential):
            guard let owner = PrincipalArn(credential.principalArn), owner.accountId == credential.accountId,
                owner.kind == .root ? s.principals.accounts[owner.accountId] != nil : owner.kind == .user
                    && s.principals.users[owner.accountId]?[owner.name.iamNameKey]?.arn == credential.principalArn
            else { throw RepositoryError.notFound }
            guard s.credentials[credential.accessKeyId] == nil else { throw RepositoryError.alreadyExists }
            s.credentials[credential.accessKeyId] = credential
        case .deleteAccessKey(let accessKeyId):
            guard s.credentials.removeValue(forKey: accessKeyId) != nil else { throw RepositoryError.notFound }
        }
    }

    private static func ownerExists(_ arn: String, _ s: State) -> Bool {
        guard let owner = PrincipalArn(arn) else { return false }
        switch owner.kind {
        case .root: return false
        case .user: return s.principals.users[owner.accountId]?[owner.name.iamNameKey]?.arn == arn
        case .role: return s.principals.roles[owner.accountId]?[owner.name.iamNameKey]?.arn == arn
        }
    }

    public func accounts() -> [AccountRecord] {
        state.principals.accounts.values.sorted { $0.accountId < $1.accountId }
    }

    public func account(_ accountId: String) -> AccountRecord? { state.principals.accounts[accountId] }

    public func user(accountId: String, userName: String) -> UserRecord? {
        state.principals.users[accountId]?[userName.iamNameKey]
    }

    public func users(accountId: String) -> [UserRecord] {
        (state.principals.users[accountId] ?? [:]).values.sorted { $0.userName.iamNameKey < $1.userName.iamNameKey }
    }

    public func role(accountId: String, roleName: String) -> RoleRecord? {
        state.principals.roles[accountId]?[roleName.iamNameKey]
    }

    public func roles(accountId: String) -> [RoleRecord] {
        (state.principals.roles[accountId] ?? [:]).values.sorted { $0.roleName.iamNameKey < $1.roleName.iamNameKey }
    }

    public func identityPolicies(ownerArn: String) -> [IdentityPolicyRecord] {
        (state.principals.policies[ownerArn] ?? [:]).values.sorted { $0.policyName < $1.policyName }
    }

    public func accessKeys(accountId: String, principalArn: String?) -> [CredentialRecord] {
        state.credentials.values
            .filter { $0.accountId == accountId && (principalArn == nil || $0.principalArn == principalArn) }
            .sorted { ($0.principalArn, $0.accessKeyId) < ($1.principalArn, $1.accessKeyId) }
    }
}
