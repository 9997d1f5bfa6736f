import Foundation

/// [AssumeRole](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
/// temporary credentials for a session of a role. STS speaks AWS's query protocol, so members
/// arrive as form fields (`RoleArn=…&RoleSessionName=…`); lists as `Tags.member.1.Key=…`.
public struct AssumeRoleRequest: ValidatedRequest, Equatable {
    public var roleArn: String?
    public var roleSessionName: String?
    /// 900 seconds to the role's maximum session duration; 3600 when absent.
    public var durationSeconds: Int?
    /// A field that was sent but is not an integer, kept to be reported.
    public var durationSecondsText: String?
    public var externalId: String?
    public var policy: String?
    public var policyArns: [String]?
    public var tags: [Tag]?
    public var transitiveTagKeys: [String]?
    public var serialNumber: String?
    public var tokenCode: String?
    public var sourceIdentity: String?
    /// How many ProvidedContexts were sent.
    public var providedContexts: Int?

    public init(roleArn: String? = nil, roleSessionName: String? = nil, durationSeconds: Int? = nil, externalId: String? = nil) {
        self.roleArn = roleArn
        self.roleSessionName = roleSessionName
        self.durationSeconds = durationSeconds
        self.externalId = externalId
    }

    public static let defaultDurationSeconds = 3600

    /// `[\w+=,.@-]*`, `\w` being ASCII letters, digits and `_`.
    public static func isSessionNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "+", "=", ",", ".", "@", "-": true
        default: false
        }
    }

    /// The members in the order of the API model, with its constraints and AWS's texts.
    public func validate(into v: inout Validation) {
        if let roleArn {
            v.length(roleArn, "roleArn", 20...2048)
        } else {
            v.missing("roleArn")
        }
        if let roleSessionName {
            v.length(roleSessionName, "roleSessionName", 2...64)
            v.pattern(roleSessionName, "roleSessionName", "[\\w+=,.@-]*") {
                $0.unicodeScalars.allSatisfy(Self.isSessionNameCharacter)
            }
        } else {
            v.missing("roleSessionName")
        }
        v.length(policy, "policy", 1...100_000)
        if let durationSecondsText {
            v.fail("durationSeconds", value: durationSecondsText, constraint: "Member must be an integer")
        }
        v.range(durationSeconds, "durationSeconds", 900...43200)
        v.count(tags, "tags", 0...50)
        v.length(externalId, "externalId", 2...1224)
        v.pattern(externalId, "externalId", "[\\w+=,.@:\\/-]*") {
            $0.unicodeScalars.allSatisfy { Self.isSessionNameCharacter($0) || $0 == ":" || $0 == "/" }
        }
        v.length(sourceIdentity, "sourceIdentity", 2...64)
        v.pattern(sourceIdentity, "sourceIdentity", "[\\w+=,.@-]*") { $0.unicodeScalars.allSatisfy(Self.isSessionNameCharacter) }
    }
}

/// Temporary credentials, as STS returns them.
public struct STSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var expiration: Date

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiration: Date) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

public struct AssumedRoleUser: Sendable, Equatable {
    /// `AROA…:<session name>`.
    public var assumedRoleId: String
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var arn: String

    public init(assumedRoleId: String, arn: String) {
        self.assumedRoleId = assumedRoleId
        self.arn = arn
    }
}

public struct AssumeRoleResponse: Sendable, Equatable {
    public var credentials: STSCredentials
    public var assumedRoleUser: AssumedRoleUser

    public init(credentials: STSCredentials, assumedRoleUser: AssumedRoleUser) {
        self.credentials = credentials
        self.assumedRoleUser = assumedRoleUser
    }
}

/// [GetCallerIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html):
/// who signed the request. No permission is needed for it.
public struct GetCallerIdentityRequest: ValidatedRequest, Equatable {
    public init() {}
    public func validate(into v: inout Validation) {}
}

public struct GetCallerIdentityResponse: Sendable, Equatable {
    /// The account id for a root, `AIDA…` for a user, `AROA…:<session>` for a session.
    public var userId: String
    public var account: String
    public var arn: String

    public init(userId: String, account: String, arn: String) {
        self.userId = userId
        self.account = account
        self.arn = arn
    }
}
