import Foundation
import KMSAudit
import KMSModel
import KMSStorage

/// The operator's changes to accounts, IAM users, roles, inline policies and access keys
/// (`trent iam …`). Each change is checked, committed with its audit record (an IAM-shaped
/// CloudTrail event, `invokedBy: trent iam`) in one transaction, and signalled to running
/// servers, which see it on their next request.
extension KeyManagementService {
    // MARK: Accounts

    /// A new account and its root access key (shown once). `audited` is false only for the
    /// administrator the server makes on its first start, as before principals were stored.
    public func createAccount(audited: Bool = false) async throws -> IssuedCredential {
        let accountId = Self.newAccountId()
        let root = AccountRecord(accountId: accountId, createdAt: clock.now())
        let (record, issued) = try newAccessKey(accountId: accountId, principalArn: root.rootArn)
        let audit = audited
            ? try operatorEvent(
                "CreateAccount", source: "organizations.amazonaws.com", accountId: accountId, parameters: [:],
                response: ["accountId": .string(accountId), "accessKeyId": .string(record.accessKeyId)])
            : nil
        try await repository.applyPrincipalChange(.createAccount(root, rootKey: record), audit: audit)
        return issued
    }

    public func accounts() async throws -> [AccountRecord] { try await repository.accounts() }

    /// The account `given` names (which must exist), or the only account of the store.
    public func resolveAccount(_ given: String?) async throws -> String {
        if let given {
            try PrincipalValidation.checkAccountId(given)
            guard try await repository.account(given) != nil else { throw PrincipalAdministrationError.noSuchAccount(given) }
            return given
        }
        let all = try await repository.accounts()
        guard all.count == 1 else { throw PrincipalAdministrationError.accountRequired(existing: all.map(\.accountId)) }
        return all[0].accountId
    }

    // MARK: Users

    public func createUser(accountId: String, userName: String, tags: [Tag] = []) async throws -> UserRecord {
        try PrincipalValidation.checkName(userName, of: "user")
        try PrincipalValidation.checkTags(tags)
        let user = UserRecord(
            accountId: accountId, userName: userName, userId: Self.newUniqueId(prefix: "AIDA"),
            tags: tags.sorted { $0.tagKey < $1.tagKey }, createdAt: clock.now())
        let audit = try operatorEvent(
            "CreateUser", accountId: accountId, parameters: ["userName": .string(userName), "tags": Self.auditTags(tags)],
            response: ["user": .object(["userName": .string(userName), "userId": .string(user.userId), "arn": .string(user.arn)])])
        try await apply(.createUser(user), audit: audit, ifExists: .userExists(accountId: accountId, userName: userName))
        return user
    }

    /// Deletes the user, its access keys and its inline policies.
    public func deleteUser(accountId: String, userName: String) async throws {
        guard let user = try await repository.user(accountId: accountId, userName: userName) else {
            throw PrincipalAdministrationError.noSuchUser(accountId: accountId, userName: userName)
        }
        let audit = try operatorEvent("DeleteUser", accountId: accountId, parameters: ["userName": .string(user.userName)])
        try await apply(
            .deleteUser(accountId: accountId, userName: user.userName), audit: audit,
            ifMissing: .noSuchUser(accountId: accountId, userName: userName))
    }

    public func users(accountId: String) async throws -> [UserRecord] { try await repository.users(accountId: accountId) }

    // MARK: Roles

    public func createRole(
        accountId: String, roleName: String, trustPolicy: String, maxSessionDuration: Int = 3600, tags: [Tag] = []
    ) async throws -> RoleRecord {
        try PrincipalValidation.checkName(roleName, of: "role")
        try PolicyDocumentCheck.check(trustPolicy, kind: .trust)
        try PrincipalValidation.checkMaxSessionDuration(maxSessionDuration)
        try PrincipalValidation.checkTags(tags)
        let role = RoleRecord(
            accountId: accountId, roleName: roleName, roleId: Self.newUniqueId(prefix: "AROA"), trustPolicy: trustPolicy,
            maxSessionDuration: maxSessionDuration, tags: tags.sorted { $0.tagKey < $1.tagKey }, createdAt: clock.now())
        let audit = try operatorEvent(
            "CreateRole", accountId: accountId,
            parameters: [
                "roleName": .string(roleName), "assumeRolePolicyDocument": .string(trustPolicy),
                "maxSessionDuration": .int(maxSessionDuration), "tags": Self.auditTags(tags),
            ],
            response: ["role": .object(["roleName": .string(roleName), "roleId": .string(role.roleId), "arn": .string(role.arn)])])
        try await apply(.createRole(role), audit: audit, ifExists: .roleExists(accountId: accountId, roleName: roleName))
        return role
    }

    /// Deletes the role and its inline policies; its sessions stop working at once.
    public func deleteRole(accountId: String, roleName: String) async throws {
        guard let role = try await repository.role(accountId: accountId, roleName: roleName) else {
            throw PrincipalAdministrationError.noSuchRole(accountId: accountId, roleName: roleName)
        }
        let audit = try operatorEvent("DeleteRole", accountId: accountId, parameters: ["roleName": .string(role.roleName)])
        try await apply(
            .deleteRole(accountId: accountId, roleName: role.roleName), audit: audit,
            ifMissing: .noSuchRole(accountId: accountId, roleName: roleName))
    }

    public func roles(accountId: String) async throws -> [RoleRecord] { try await repository.roles(accountId: accountId) }

    // MARK: Inline policies

    /// A user's or role's inline policy, looked up by its owner's name.
    public enum PolicyOwner: Sendable, Equatable {
        case user(String)
        case role(String)
    }

    /// Adds the policy, or replaces the owner's policy of that name (PutUserPolicy / PutRolePolicy).
    public func putPolicy(accountId: String, owner: PolicyOwner, policyName: String, document: String) async throws {
        try PrincipalValidation.checkPolicyName(policyName)
        try PolicyDocumentCheck.check(document, kind: .identity)
        let (ownerArn, ownerMember, eventPrefix) = try await resolve(owner, accountId: accountId)
        let audit = try operatorEvent(
            "Put\(eventPrefix)Policy", accountId: accountId,
            parameters: [ownerMember: .string(String(ownerArn.split(separator: "/").last!)), "policyName": .string(policyName),
                         "policyDocument": .string(document)])
        try await apply(
            .putPolicy(IdentityPolicyRecord(ownerArn: ownerArn, policyName: policyName, document: document)), audit: audit,
            ifMissing: Self.missing(owner, accountId: accountId))
    }

    public func deletePolicy(accountId: String, owner: PolicyOwner, policyName: String) async throws {
        let (ownerArn, ownerMember, eventPrefix) = try await resolve(owner, accountId: accountId)
        let audit = try operatorEvent(
            "Delete\(eventPrefix)Policy", accountId: accountId,
            parameters: [ownerMember: .string(String(ownerArn.split(separator: "/").last!)), "policyName": .string(policyName)])
        try await apply(
            .deletePolicy(ownerArn: ownerArn, policyName: policyName), audit: audit,
            ifMissing: .noSuchPolicy(ownerArn: ownerArn, policyName: policyName))
    }

    /// The inline policies of one owner, or of every user and role of the account.
    public func policies(accountId: String, owner: PolicyOwner?) async throws -> [IdentityPolicyRecord] {
        if let owner {
            return try await repository.identityPolicies(ownerArn: try await resolve(owner, accountId: accountId).arn)
        }
        var all: [IdentityPolicyRecord] = []
        for user in try await repository.users(accountId: accountId) { all += try await repository.identityPolicies(ownerArn: user.arn) }
        for role in try await repository.roles(accountId: accountId) { all += try await repository.identityPolicies(ownerArn: role.arn) }
        return all
    }

    /// The owner's canonical ARN, the audit member that names it and the event name's infix.
    private func resolve(_ owner: PolicyOwner, accountId: String) async throws -> (arn: String, member: String, event: String) {
        switch owner {
        case .user(let name):
            guard let user = try await repository.user(accountId: accountId, userName: name) else {
                throw PrincipalAdministrationError.noSuchUser(accountId: accountId, userName: name)
            }
            return (user.arn, "userName", "User")
        case .role(let name):
            guard let role = try await repository.role(accountId: accountId, roleName: name) else {
                throw PrincipalAdministrationError.noSuchRole(accountId: accountId, roleName: name)
            }
            return (role.arn, "roleName", "Role")
        }
    }

    private static func missing(_ owner: PolicyOwner, accountId: String) -> PrincipalAdministrationError {
        switch owner {
        case .user(let name): .noSuchUser(accountId: accountId, userName: name)
        case .role(let name): .noSuchRole(accountId: accountId, roleName: name)
        }
    }

    // MARK: Access keys

    /// A new access key for a user, or for the account root when `userName` is nil. The secret
    /// is in the answer only.
    public func createAccessKey(accountId: String, userName: String?) async throws -> IssuedCredential {
        let principalArn: String
        if let userName {
            guard let user = try await repository.user(accountId: accountId, userName: userName) else {
                throw PrincipalAdministrationError.noSuchUser(accountId: accountId, userName: userName)
            }
            principalArn = user.arn
        } else {
            principalArn = "arn:aws:iam::\(accountId):root"
        }
        guard try await repository.accessKeys(accountId: accountId, principalArn: principalArn).count < 2 else {
            throw PrincipalAdministrationError.accessKeyLimit(principalArn: principalArn)
        }
        let (record, issued) = try newAccessKey(accountId: accountId, principalArn: principalArn)
        let audit = try operatorEvent(
            "CreateAccessKey", accountId: accountId, parameters: userName.map { ["userName": .string($0)] } ?? [:],
            response: ["accessKey": .object([
                "accessKeyId": .string(record.accessKeyId), "status": .string("Active"),
                "userName": userName.map(AuditValue.string) ?? .null,
            ])])
        try await apply(
            .createAccessKey(record), audit: audit,
            ifMissing: userName.map { .noSuchUser(accountId: accountId, userName: $0) } ?? .noSuchAccount(accountId))
        return issued
    }

    public func deleteAccessKey(accessKeyId: String) async throws {
        guard let record = try await repository.credential(accessKeyId: accessKeyId) else {
            throw PrincipalAdministrationError.noSuchAccessKey(accessKeyId)
        }
        var parameters: [String: AuditValue] = ["accessKeyId": .string(accessKeyId)]
        if let arn = PrincipalArn(record.principalArn), arn.kind == .user { parameters["userName"] = .string(arn.name) }
        let audit = try operatorEvent("DeleteAccessKey", accountId: record.accountId, parameters: parameters)
        try await apply(.deleteAccessKey(accessKeyId: accessKeyId), audit: audit, ifMissing: .noSuchAccessKey(accessKeyId))
    }

    /// Access keys (never their secrets) of the account, or of one user.
    public func accessKeys(accountId: String, userName: String?) async throws -> [CredentialRecord] {
        guard let userName else { return try await repository.accessKeys(accountId: accountId, principalArn: nil) }
        guard let user = try await repository.user(accountId: accountId, userName: userName) else {
            throw PrincipalAdministrationError.noSuchUser(accountId: accountId, userName: userName)
        }
        return try await repository.accessKeys(accountId: accountId, principalArn: user.arn)
    }

    // MARK: Commit and audit

    private func apply(
        _ change: PrincipalChange, audit: AuditEntry, ifExists: PrincipalAdministrationError? = nil,
        ifMissing: PrincipalAdministrationError? = nil
    ) async throws {
        do {
            try await repository.applyPrincipalChange(change, audit: audit)
        } catch RepositoryError.alreadyExists where ifExists != nil {
            throw ifExists!
        } catch RepositoryError.notFound where ifMissing != nil {
            throw ifMissing!
        }
    }

    private static func auditTags(_ tags: [Tag]) -> AuditValue {
        .array(tags.map { .object(["key": .string($0.tagKey), "value": .string($0.tagValue)]) })
    }

    /// An operator's change, in CloudTrail's shape for IAM calls. The operator is the holder
    /// of the data folder, not a principal: `userIdentity` says `invokedBy: trent iam`.
    private func operatorEvent(
        _ name: String, source: String = "iam.amazonaws.com", accountId: String, parameters: [String: AuditValue],
        response: [String: AuditValue]? = nil
    ) throws -> AuditEntry {
        let now = clock.now()
        var event = CloudTrailEvent(
            userIdentity: .init(type: nil, principalId: nil, arn: nil, accountId: accountId, accessKeyId: nil, invokedBy: "trent iam"),
            eventTime: now, eventName: name, awsRegion: "us-east-1", sourceIPAddress: "trent iam", userAgent: "trent iam",
            requestParameters: .object(parameters), responseElements: response.map { .object($0) } ?? .null,
            additionalEventData: nil, errorCode: nil, errorMessage: nil, requestID: UUID().uuidString.lowercased(),
            eventID: UUID().uuidString.lowercased(), readOnly: false, resources: [], recipientAccountId: accountId)
        event.eventSource = source
        return AuditEntry(
            eventTime: now, eventName: name, principalArn: nil, keyArn: nil, secondaryKeyArn: nil, errorCode: nil,
            record: try event.encoded())
    }
}
