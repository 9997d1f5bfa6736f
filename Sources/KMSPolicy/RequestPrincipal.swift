/// The principal making a request, as SigV4 verification resolved it.
public struct RequestPrincipal: Sendable, Equatable {
    /// `arn:aws:iam::111122223333:root`, `arn:aws:iam::111122223333:user/alice`, or for a role
    /// session `arn:aws:sts::111122223333:assumed-role/Role/session`.
    public var arn: String
    public var accountId: String
    /// For an assumed-role session, its role (`arn:aws:iam::111122223333:role/Role`): a policy
    /// naming the role matches all of its sessions.
    public var roleArn: String?
    /// The principal's tags, offered to policies as `aws:PrincipalTag/<key>`.
    public var tags: [String: String]
    /// The ARN taken apart once: every statement a request meets asks about it.
    private let name: PrincipalName?

    public init(arn: String, accountId: String, roleArn: String? = nil, tags: [String: String] = [:]) {
        self.arn = arn
        self.accountId = accountId
        self.roleArn = roleArn
        self.tags = tags
        self.name = PrincipalName(arn: arn)
    }

    /// A principal from its ARN alone: the account comes from the ARN, and for an
    /// assumed-role session so does the role (right for roles without a path; pass `roleArn`
    /// explicitly otherwise). `nil` when `arn` is not an IAM or STS principal ARN.
    public init?(arn: String, tags: [String: String] = [:]) {
        guard let name = PrincipalName(arn: arn) else { return nil }
        self.init(arn: arn, accountId: name.accountId, roleArn: name.roleArnOfSession, tags: tags)
    }

    /// The account's root user, `arn:<partition>:iam::<account>:root`.
    public static func accountRoot(_ accountId: String, partition: String = "aws") -> RequestPrincipal {
        RequestPrincipal(arn: "arn:\(partition):iam::\(accountId):root", accountId: accountId)
    }

    /// The root user has no identity policies: it may do anything its account may, so where
    /// KMS would ask identity policies it is allowed without them.
    public var isAccountRoot: Bool {
        guard let name else { return false }
        return name.kind == .root && name.accountId == accountId
    }

    /// `aws:PrincipalType`, as IAM reports it.
    var principalType: String {
        switch name?.kind {
        case .root?: "Account"
        case .user?: "User"
        case .assumedRole?: "AssumedRole"
        case .federatedUser?: "FederatedUser"
        case .role?, nil: "Unknown"
        }
    }

    /// `aws:username`: an IAM user's friendly name (the last part of its ARN); other
    /// principals have none.
    var userName: String? {
        guard name?.kind == .user, let slash = arn.lastIndex(of: "/") else { return nil }
        return String(arn[arn.index(after: slash)...])
    }
}
