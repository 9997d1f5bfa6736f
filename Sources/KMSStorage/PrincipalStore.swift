import Foundation
import KMSModel

/// An account: the namespace of its keys, users and roles. Its root principal
/// (`arn:aws:iam::<account>:root`) signs with the account's root access keys.
public struct AccountRecord: Sendable, Equatable {
    public var accountId: String
    public var createdAt: Date

    public init(accountId: String, createdAt: Date) {
        self.accountId = accountId
        self.createdAt = createdAt
    }

    public var rootArn: String { "arn:aws:iam::\(accountId):root" }
}

/// An IAM user: a long-term identity that signs with its own access keys.
/// [IAM identifiers](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html)
public struct UserRecord: Sendable, Equatable {
    public var accountId: String
    /// As created; unique in its account regardless of case, as IAM names are.
    public var userName: String
    /// `AIDA` and 17 characters: what CloudTrail calls the user's principalId.
    public var userId: String
    /// Ordered by key.
    public var tags: [Tag]
    public var createdAt: Date

    public init(accountId: String, userName: String, userId: String, tags: [Tag], createdAt: Date) {
        self.accountId = accountId
        self.userName = userName
        self.userId = userId
        self.tags = tags
        self.createdAt = createdAt
    }

    public var arn: String { "arn:aws:iam::\(accountId):user/\(userName)" }
}

/// An IAM role: an identity without long-term keys, assumed through STS by the principals its
/// trust policy allows.
public struct RoleRecord: Sendable, Equatable {
    public var accountId: String
    public var roleName: String
    /// `AROA` and 17 characters: the first half of an assumed-role session's principalId.
    public var roleId: String
    /// The trust policy (the role's resource policy for `sts:AssumeRole`), as given.
    public var trustPolicy: String
    /// Seconds, 3600–43200: the longest session AssumeRole may grant.
    public var maxSessionDuration: Int
    public var tags: [Tag]
    public var createdAt: Date

    public init(
        accountId: String, roleName: String, roleId: String, trustPolicy: String, maxSessionDuration: Int, tags: [Tag],
        createdAt: Date
    ) {
        self.accountId = accountId
        self.roleName = roleName
        self.roleId = roleId
        self.trustPolicy = trustPolicy
        self.maxSessionDuration = maxSessionDuration
        self.tags = tags
        self.createdAt = createdAt
    }

    public var arn: String { "arn:aws:iam::\(accountId):role/\(roleName)" }
}

/// An inline identity policy of a user or a role (PutUserPolicy / PutRolePolicy): a document
/// that belongs to one principal and is named within it.
public struct IdentityPolicyRecord: Sendable, Equatable {
    /// The user's or role's ARN.
    public var ownerArn: String
    public var policyName: String
    /// The policy JSON, as given.
    public var document: String

    public init(ownerArn: String, policyName: String, document: String) {
        self.ownerArn = ownerArn
        self.policyName = policyName
        self.document = document
    }
}

/// One change to the principals. Principal changes are made by the operator (`trent iam …`),
/// each on its own with its audit record, apart from the request path's ``Mutation``s.
public enum PrincipalChange: Sendable, Equatable {
    /// A new account and its first root access key. Refused with
    /// ``RepositoryError/alreadyExists`` if the account or the access key id exists.
    case createAccount(AccountRecord, rootKey: CredentialRecord)
    /// Refused with ``RepositoryError/notFound`` if the account does not exist,
    /// ``RepositoryError/alreadyExists`` if the name (in any case) or the id is taken.
    case createUser(UserRecord)
    /// Deletes the user with its access keys and inline policies. Refused with
    /// ``RepositoryError/notFound`` if there is no such user.
    case deleteUser(accountId: String, userName: String)
    /// As ``createUser(_:)``, for roles.
    case createRole(RoleRecord)
    /// Deletes the role with its inline policies (its sessions stop working, as they need the
    /// role). Refused with ``RepositoryError/notFound`` if there is no such role.
    case deleteRole(accountId: String, roleName: String)
    /// Adds or replaces (by name) an inline policy. Refused with ``RepositoryError/notFound``
    /// unless the owner is an existing user or role.
    case putPolicy(IdentityPolicyRecord)
    /// Refused with ``RepositoryError/notFound`` if there is no such policy.
    case deletePolicy(ownerArn: String, policyName: String)
    /// Adds an access key for an account root or an existing user. Refused with
    /// ``RepositoryError/notFound`` if the principal does not exist, ``RepositoryError/alreadyExists``
    /// if the access key id does.
    case createAccessKey(CredentialRecord)
    /// Refused with ``RepositoryError/notFound`` if there is no such access key.
    case deleteAccessKey(accessKeyId: String)
}

/// A value that differs whenever the principals may have changed, in any process. Reading it
/// must be cheap: the server compares it for every authenticated request.
public struct PrincipalChangeStamp: Sendable, Hashable {
    let a: UInt64
    let b: UInt64
    let c: Int64
    let d: Int64

    public init(_ a: UInt64, _ b: UInt64 = 0, _ c: Int64 = 0, _ d: Int64 = 0) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }
}

/// Accounts, IAM users and roles, their inline policies and their access keys.
///
/// The server reads principals on the request path through a cache (`PrincipalDirectory` in
/// KMSCore) that it revalidates with ``principalChangeStamp()`` for every request, because the
/// operator changes principals from another process (`trent iam …`) while it runs.
public protocol PrincipalStore: Sendable {
    /// Applies one change and appends its audit record (if any) in one transaction, then
    /// signals the change to every process watching ``principalChangeStamp()``.
    func applyPrincipalChange(_ change: PrincipalChange, audit: AuditEntry?) async throws

    /// Cheap, synchronous: see ``PrincipalChangeStamp``.
    func principalChangeStamp() -> PrincipalChangeStamp

    /// Accounts ordered by account id.
    func accounts() async throws -> [AccountRecord]
    func account(_ accountId: String) async throws -> AccountRecord?

    /// Looks the name up regardless of case, as IAM does.
    func user(accountId: String, userName: String) async throws -> UserRecord?
    /// Users of the account ordered by name.
    func users(accountId: String) async throws -> [UserRecord]
    func role(accountId: String, roleName: String) async throws -> RoleRecord?
    func roles(accountId: String) async throws -> [RoleRecord]

    /// Inline policies of one user or role, ordered by name.
    func identityPolicies(ownerArn: String) async throws -> [IdentityPolicyRecord]

    /// Access keys of an account, all of its principals' or one principal's, ordered by
    /// principal ARN and access key id.
    func accessKeys(accountId: String, principalArn: String?) async throws -> [CredentialRecord]
}

/// IAM names are unique within an account regardless of case.
extension String {
    var iamNameKey: String { lowercased() }
}

/// The principal an IAM ARN names: an account root, a user or a role (Trent's IAM has no paths).
public struct PrincipalArn: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case root
        case user
        case role
    }

    public var accountId: String
    public var kind: Kind
    /// The user or role name; empty for a root.
    public var name: String

    /// `arn:aws:iam::<account>:root`, `…:user/<name>` or `…:role/<name>`; nil for anything else.
    public init?(_ arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws", parts[2] == "iam", parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        accountId = String(parts[4])
        let resource = parts[5]
        if resource == "root" {
            kind = .root
            name = ""
        } else if resource.hasPrefix("user/"), !resource.dropFirst(5).isEmpty, !resource.dropFirst(5).contains("/") {
            kind = .user
            name = String(resource.dropFirst(5))
        } else if resource.hasPrefix("role/"), !resource.dropFirst(5).isEmpty, !resource.dropFirst(5).contains("/") {
            kind = .role
            name = String(resource.dropFirst(5))
        } else {
            return nil
        }
    }
}
