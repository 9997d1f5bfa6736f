/// Principals are not cached here: they change from other processes (`trent iam …`), and the
/// server keeps its own principal cache that watches for that (`PrincipalDirectory` in KMSCore).
extension CachingKeyRepository {
    public func applyPrincipalChange(_ change: PrincipalChange, audit: AuditEntry?) async throws {
        try await base.applyPrincipalChange(change, audit: audit)
    }

    public func principalChangeStamp() -> PrincipalChangeStamp { base.principalChangeStamp() }
    public func accounts() async throws -> [AccountRecord] { try await base.accounts() }
    public func account(_ accountId: String) async throws -> AccountRecord? { try await base.account(accountId) }

    public func user(accountId: String, userName: String) async throws -> UserRecord? {
        try await base.user(accountId: accountId, userName: userName)
    }

    public func users(accountId: String) async throws -> [UserRecord] { try await base.users(accountId: accountId) }

    public func role(accountId: String, roleName: String) async throws -> RoleRecord? {
        try await base.role(accountId: accountId, roleName: roleName)
    }

    public func roles(accountId: String) async throws -> [RoleRecord] { try await base.roles(accountId: accountId) }

    public func identityPolicies(ownerArn: String) async throws -> [IdentityPolicyRecord] {
        try await base.identityPolicies(ownerArn: ownerArn)
    }

    public func accessKeys(accountId: String, principalArn: String?) async throws -> [CredentialRecord] {
        try await base.accessKeys(accountId: accountId, principalArn: principalArn)
    }
}
