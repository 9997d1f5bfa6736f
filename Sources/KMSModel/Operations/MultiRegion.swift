import Foundation

/// [ReplicateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html)
public struct ReplicateKeyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "ReplicaRegion"]

    public var keyId: String
    public var replicaRegion: String
    public var description: String?
    public var policy: String?
    public var bypassPolicyLockoutSafetyCheck: Bool?
    public var tags: [Tag]?

    public init(keyId: String, replicaRegion: String, description: String? = nil, tags: [Tag]? = nil, policy: String? = nil) {
        self.policy = policy
        self.keyId = keyId
        self.replicaRegion = replicaRegion
        self.description = description
        self.tags = tags
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(replicaRegion, "replicaRegion", 1...32)
        v.pattern(replicaRegion, "replicaRegion", "^([a-z]+-){2,3}\\d+$") { text in
            text.range(of: "^([a-z]+-){2,3}[0-9]+$", options: .regularExpression) != nil
        }
        v.length(description, "description", 0...8192)
        v.policyDocument(policy)
        v.tags(tags)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case replicaRegion = "ReplicaRegion"
        case description = "Description"
        case policy = "Policy"
        case bypassPolicyLockoutSafetyCheck = "BypassPolicyLockoutSafetyCheck"
        case tags = "Tags"
    }
}

public struct ReplicateKeyResponse: Codable, Sendable {
    public var replicaKeyMetadata: KeyMetadata
    public var replicaPolicy: String?
    public var replicaTags: [Tag]

    public init(replicaKeyMetadata: KeyMetadata, replicaPolicy: String?, replicaTags: [Tag]) {
        self.replicaKeyMetadata = replicaKeyMetadata
        self.replicaPolicy = replicaPolicy
        self.replicaTags = replicaTags
    }

    enum CodingKeys: String, CodingKey {
        case replicaKeyMetadata = "ReplicaKeyMetadata"
        case replicaPolicy = "ReplicaPolicy"
        case replicaTags = "ReplicaTags"
    }
}

/// [UpdatePrimaryRegion](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html)
public struct UpdatePrimaryRegionRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "PrimaryRegion"]

    public var keyId: String
    public var primaryRegion: String

    public init(keyId: String, primaryRegion: String) {
        self.keyId = keyId
        self.primaryRegion = primaryRegion
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(primaryRegion, "primaryRegion", 1...32)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case primaryRegion = "PrimaryRegion"
    }
}
