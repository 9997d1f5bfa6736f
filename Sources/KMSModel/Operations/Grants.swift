/// [CreateGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html)
public struct CreateGrantRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "GranteePrincipal", "Operations"]

    public var keyId: String
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    public var operations: [WireValue<GrantOperation>]
    public var constraints: GrantConstraints?
    public var grantTokens: [String]?
    public var name: String?
    public var dryRun: Bool?

    public init(
        keyId: String, granteePrincipal: String, retiringPrincipal: String? = nil, operations: [GrantOperation],
        constraints: GrantConstraints? = nil, grantTokens: [String]? = nil, name: String? = nil, dryRun: Bool? = nil
    ) {
        self.keyId = keyId
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.operations = operations.map(WireValue.known)
        self.constraints = constraints
        self.grantTokens = grantTokens
        self.name = name
        self.dryRun = dryRun
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.principal(granteePrincipal, "granteePrincipal")
        v.principal(retiringPrincipal, "retiringPrincipal")
        v.members(operations, "operations")
        v.grantTokens(grantTokens)
        v.length(name, "name", 1...256)
        v.pattern(name, "name", "^[a-zA-Z0-9:/_-]+$") { text in
            text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "_"),
                    UInt8(ascii: "-"):
                    true
                default: false
                }
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case granteePrincipal = "GranteePrincipal"
        case retiringPrincipal = "RetiringPrincipal"
        case operations = "Operations"
        case constraints = "Constraints"
        case grantTokens = "GrantTokens"
        case name = "Name"
        case dryRun = "DryRun"
    }
}

public struct CreateGrantResponse: Codable, Sendable {
    /// A bearer secret: never logged, never recorded in the audit trail.
    public var grantToken: String
    public var grantId: String

    public init(grantToken: String, grantId: String) {
        self.grantToken = grantToken
        self.grantId = grantId
    }

    enum CodingKeys: String, CodingKey {
        case grantToken = "GrantToken"
        case grantId = "GrantId"
    }
}

/// [ListGrants](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html)
public struct ListGrantsRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var limit: Int?
    public var marker: String?
    public var grantId: String?
    public var granteePrincipal: String?

    public init(keyId: String, limit: Int? = nil, marker: String? = nil, grantId: String? = nil, granteePrincipal: String? = nil) {
        self.keyId = keyId
        self.limit = limit
        self.marker = marker
        self.grantId = grantId
        self.granteePrincipal = granteePrincipal
    }

    public func validate(into v: inout Validation) {
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
        v.keyId(keyId)
        v.length(grantId, "grantId", 1...128)
        v.principal(granteePrincipal, "granteePrincipal")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case limit = "Limit"
        case marker = "Marker"
        case grantId = "GrantId"
        case granteePrincipal = "GranteePrincipal"
    }
}

/// The answer of ListGrants and of ListRetirableGrants.
public struct ListGrantsResponse: Codable, Sendable {
    public var grants: [GrantListEntry]
    public var nextMarker: String?
    public var truncated: Bool

    public init(grants: [GrantListEntry], nextMarker: String?) {
        self.grants = grants
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case grants = "Grants"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}

/// [ListRetirableGrants](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html)
public struct ListRetirableGrantsRequest: ValidatedRequest {
    public static let requiredMembers = ["RetiringPrincipal"]

    public var limit: Int?
    public var marker: String?
    public var retiringPrincipal: String

    public init(retiringPrincipal: String, limit: Int? = nil, marker: String? = nil) {
        self.retiringPrincipal = retiringPrincipal
        self.limit = limit
        self.marker = marker
    }

    public func validate(into v: inout Validation) {
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
        v.principal(retiringPrincipal, "retiringPrincipal")
    }

    enum CodingKeys: String, CodingKey {
        case limit = "Limit"
        case marker = "Marker"
        case retiringPrincipal = "RetiringPrincipal"
    }
}

/// [RetireGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html):
/// the grant is named by its token, or by key ARN (or id) and grant id.
public struct RetireGrantRequest: ValidatedRequest {
    public var grantToken: String?
    public var keyId: String?
    public var grantId: String?
    public var dryRun: Bool?

    public init(grantToken: String? = nil, keyId: String? = nil, grantId: String? = nil, dryRun: Bool? = nil) {
        self.grantToken = grantToken
        self.keyId = keyId
        self.grantId = grantId
        self.dryRun = dryRun
    }

    public func validate(into v: inout Validation) {
        v.grantToken(grantToken, "grantToken")
        v.keyId(keyId)
        v.length(grantId, "grantId", 1...128)
    }

    enum CodingKeys: String, CodingKey {
        case grantToken = "GrantToken"
        case keyId = "KeyId"
        case grantId = "GrantId"
        case dryRun = "DryRun"
    }
}

/// [RevokeGrant](https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html)
public struct RevokeGrantRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "GrantId"]

    public var keyId: String
    public var grantId: String
    public var dryRun: Bool?

    public init(keyId: String, grantId: String, dryRun: Bool? = nil) {
        self.keyId = keyId
        self.grantId = grantId
        self.dryRun = dryRun
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(grantId, "grantId", 1...128)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case grantId = "GrantId"
        case dryRun = "DryRun"
    }
}

extension Validation {
    /// `PrincipalIdType`: 1 to 256 characters of `[\w+=,.@:/-]`.
    public mutating func principal(_ value: String?, _ member: String) {
        length(value, member, 1...256)
        pattern(value, member, "^[\\w+=,.@:/-]+$") { text in
            !text.isEmpty
                && text.utf8.allSatisfy { byte in
                    Validation.isWordCharacter(byte) || "+=,.@:/-".utf8.contains(byte)
                }
        }
    }

    /// `GrantTokenType`: 1 to 8192 characters. A grant token is a bearer secret, so a failure
    /// names the member but never echoes the value (the message reaches the audit trail).
    public mutating func grantToken(_ value: String?, _ member: String) {
        guard let value else { return }
        let count = value.utf16.count
        if count < 1 {
            fail(member, value: nil, constraint: "Member must have length greater than or equal to 1")
        } else if count > 8192 {
            fail(member, value: nil, constraint: "Member must have length less than or equal to 8192")
        }
    }
}
