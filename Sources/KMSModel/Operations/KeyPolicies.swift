/// [PutKeyPolicy](https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)
public struct PutKeyPolicyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Policy"]

    public var keyId: String
    public var policyName: String?
    public var policy: String
    public var bypassPolicyLockoutSafetyCheck: Bool?

    public init(keyId: String, policyName: String? = nil, policy: String, bypassPolicyLockoutSafetyCheck: Bool? = nil) {
        self.keyId = keyId
        self.policyName = policyName
        self.policy = policy
        self.bypassPolicyLockoutSafetyCheck = bypassPolicyLockoutSafetyCheck
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.policyName(policyName)
        v.policyDocument(policy)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case policyName = "PolicyName"
        case policy = "Policy"
        case bypassPolicyLockoutSafetyCheck = "BypassPolicyLockoutSafetyCheck"
    }
}

/// [GetKeyPolicy](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html)
public struct GetKeyPolicyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    /// Optional since 2024; `default` when absent, and the only name there is.
    public var policyName: String?

    public init(keyId: String, policyName: String? = nil) {
        self.keyId = keyId
        self.policyName = policyName
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.policyName(policyName)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case policyName = "PolicyName"
    }
}

public struct GetKeyPolicyResponse: Codable, Sendable {
    public var policy: String
    public var policyName: String

    public init(policy: String, policyName: String) {
        self.policy = policy
        self.policyName = policyName
    }

    enum CodingKeys: String, CodingKey {
        case policy = "Policy"
        case policyName = "PolicyName"
    }
}

/// [ListKeyPolicies](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html)
public struct ListKeyPoliciesRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var limit: Int?
    public var marker: String?

    public init(keyId: String, limit: Int? = nil, marker: String? = nil) {
        self.keyId = keyId
        self.limit = limit
        self.marker = marker
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case limit = "Limit"
        case marker = "Marker"
    }
}

public struct ListKeyPoliciesResponse: Codable, Sendable {
    public var policyNames: [String]
    public var nextMarker: String?
    public var truncated: Bool

    public init(policyNames: [String], nextMarker: String?) {
        self.policyNames = policyNames
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case policyNames = "PolicyNames"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}

extension Validation {
    /// `PolicyType`: 1 to 131072 characters of tab, line feed, carriage return and printable
    /// Latin-1. The 32 KB limit AWS enforces on key policies is checked later, by Core, with
    /// its own exception (`LimitExceededException`).
    public mutating func policyDocument(_ value: String?, _ member: String = "policy") {
        length(value, member, 1...131072)
        pattern(value, member, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+") { text in
            text.unicodeScalars.allSatisfy { scalar in
                scalar.value == 0x09 || scalar.value == 0x0A || scalar.value == 0x0D || (0x20...0xFF).contains(scalar.value)
            }
        }
    }

    /// `PolicyNameType`: 1 to 128 word characters.
    public mutating func policyName(_ value: String?, _ member: String = "policyName") {
        length(value, member, 1...128)
        pattern(value, member, "[\\w]+") { $0.utf8.allSatisfy(Validation.isWordCharacter) }
    }

    /// Java's `\w`: ASCII letters, digits and underscore.
    static func isWordCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
