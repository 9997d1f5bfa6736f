import Foundation

/// Who is calling, and in which namespace: the authenticated principal (an account root, an
/// IAM user or an assumed-role session) with what policy evaluation needs of it, and the
/// Region of the request's SigV4 credential scope.
///
/// A request's caller is resolved from its access key (and session token) once per request,
/// from caches that a principal change by `trent iam …` empties at once (see
/// `PrincipalDirectory`).
public struct Caller: Sendable, Equatable {
    /// CloudTrail's `userIdentity.type` for each kind of principal.
    public enum Kind: String, Sendable, Equatable {
        case root = "Root"
        case user = "IAMUser"
        case assumedRole = "AssumedRole"
    }

    /// One inline identity policy of the principal (for a session, of its role), as stored.
    public struct IdentityPolicy: Sendable, Equatable, Hashable {
        public var name: String
        /// The policy JSON, unparsed: the policy evaluator parses (and may cache) it.
        public var document: String

        public init(name: String, document: String) {
            self.name = name
            self.document = document
        }
    }

    /// What an assumed-role session adds: the role it is a session of, and its lifetime.
    public struct Session: Sendable, Equatable {
        /// `arn:aws:iam::<account>:role/<name>`.
        public var roleArn: String
        /// `AROA…`: the role's unique id (a role deleted and made again has another).
        public var roleId: String
        public var roleName: String
        public var sessionName: String
        /// When AssumeRole issued the session (CloudTrail's `sessionContext.attributes.creationDate`).
        public var issuedAt: Date
        public var expiration: Date

        public init(roleArn: String, roleId: String, roleName: String, sessionName: String, issuedAt: Date, expiration: Date) {
            self.roleArn = roleArn
            self.roleId = roleId
            self.roleName = roleName
            self.sessionName = sessionName
            self.issuedAt = issuedAt
            self.expiration = expiration
        }
    }

    public var accountId: String
    public var region: String
    /// `arn:aws:iam::<account>:root`, `…:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var principalArn: String
    public var accessKeyId: String
    public var kind: Kind
    /// CloudTrail's `principalId` and STS's `UserId`: the account id for a root, the user's
    /// `AIDA…` id, `AROA…:<session name>` for a session.
    public var principalId: String
    /// The principal's tags (a session's are its role's), for `aws:PrincipalTag/…`.
    public var tags: [String: String]
    /// The inline identity policies of the user, or of the session's role; none for a root,
    /// which IAM policies do not restrict.
    public var identityPolicies: [IdentityPolicy]
    /// Set for assumed-role sessions only.
    public var session: Session?

    public init(
        accountId: String, region: String, principalArn: String, accessKeyId: String, kind: Kind, principalId: String,
        tags: [String: String] = [:], identityPolicies: [IdentityPolicy] = [], session: Session? = nil
    ) {
        self.accountId = accountId
        self.region = region
        self.principalArn = principalArn
        self.accessKeyId = accessKeyId
        self.kind = kind
        self.principalId = principalId
        self.tags = tags
        self.identityPolicies = identityPolicies
        self.session = session
    }

    /// A caller known only by its ARN (tests and tools): the kind is read from the ARN as the
    /// audit record always did (`:root`, `:assumed-role/`, else an IAM user), the principalId is
    /// the account id for a root and the access key id otherwise; no tags, policies or session.
    public init(accountId: String, region: String, principalArn: String, accessKeyId: String) {
        let kind: Kind = principalArn.hasSuffix(":root") ? .root : principalArn.contains(":assumed-role/") ? .assumedRole : .user
        self.init(
            accountId: accountId, region: region, principalArn: principalArn, accessKeyId: accessKeyId, kind: kind,
            principalId: kind == .root ? accountId : accessKeyId)
    }

    /// The root principal of an account, as dev mode and the first-start administrator use.
    public static func accountRoot(_ accountId: String, region: String, accessKeyId: String) -> Caller {
        Caller(
            accountId: accountId, region: region, principalArn: "arn:aws:iam::\(accountId):root", accessKeyId: accessKeyId,
            kind: .root, principalId: accountId)
    }

    /// An IAM user signing with one of its access keys.
    public static func user(
        accountId: String, userName: String, userId: String, region: String, accessKeyId: String, tags: [String: String],
        identityPolicies: [IdentityPolicy]
    ) -> Caller {
        Caller(
            accountId: accountId, region: region, principalArn: "arn:aws:iam::\(accountId):user/\(userName)",
            accessKeyId: accessKeyId, kind: .user, principalId: userId, tags: tags, identityPolicies: identityPolicies)
    }

    /// A session of a role, signing with the temporary access key AssumeRole issued.
    public static func assumedRole(
        accountId: String, session: Session, region: String, accessKeyId: String, tags: [String: String],
        identityPolicies: [IdentityPolicy]
    ) -> Caller {
        Caller(
            accountId: accountId, region: region,
            principalArn: "arn:aws:sts::\(accountId):assumed-role/\(session.roleName)/\(session.sessionName)",
            accessKeyId: accessKeyId, kind: .assumedRole, principalId: "\(session.roleId):\(session.sessionName)", tags: tags,
            identityPolicies: identityPolicies, session: session)
    }

    /// The IAM user's name; nil for other kinds.
    public var userName: String? {
        guard kind == .user, let slash = principalArn.lastIndex(of: "/") else { return nil }
        return String(principalArn[principalArn.index(after: slash)...])
    }
}
