/// [CreateKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html)
public struct CreateKeyRequest: ValidatedRequest {
    public var policy: String?
    public var description: String?
    public var keyUsage: WireValue<KeyUsage>?
    public var customerMasterKeySpec: WireValue<CustomerMasterKeySpec>?
    public var keySpec: WireValue<KeySpec>?
    public var origin: WireValue<OriginType>?
    public var customKeyStoreId: String?
    public var bypassPolicyLockoutSafetyCheck: Bool?
    public var tags: [Tag]?
    public var multiRegion: Bool?
    public var xksKeyId: String?

    public init(
        description: String? = nil, keyUsage: KeyUsage? = nil, keySpec: KeySpec? = nil, tags: [Tag]? = nil,
        policy: String? = nil, bypassPolicyLockoutSafetyCheck: Bool? = nil
    ) {
        self.policy = policy
        self.bypassPolicyLockoutSafetyCheck = bypassPolicyLockoutSafetyCheck
        self.description = description
        self.keyUsage = keyUsage.map(WireValue.known)
        self.keySpec = keySpec.map(WireValue.known)
        self.tags = tags
    }

    public func validate(into v: inout Validation) {
        v.policyDocument(policy)
        v.length(description, "description", 0...8192)
        v.member(keyUsage, "keyUsage")
        v.member(customerMasterKeySpec, "customerMasterKeySpec")
        v.member(keySpec, "keySpec")
        v.member(origin, "origin")
        v.length(customKeyStoreId, "customKeyStoreId", 1...64)
        v.tags(tags)
    }

    enum CodingKeys: String, CodingKey {
        case policy = "Policy"
        case description = "Description"
        case keyUsage = "KeyUsage"
        case customerMasterKeySpec = "CustomerMasterKeySpec"
        case keySpec = "KeySpec"
        case origin = "Origin"
        case customKeyStoreId = "CustomKeyStoreId"
        case bypassPolicyLockoutSafetyCheck = "BypassPolicyLockoutSafetyCheck"
        case tags = "Tags"
        case multiRegion = "MultiRegion"
        case xksKeyId = "XksKeyId"
    }
}

public struct CreateKeyResponse: Codable, Sendable {
    public var keyMetadata: KeyMetadata
    public init(keyMetadata: KeyMetadata) { self.keyMetadata = keyMetadata }
    enum CodingKeys: String, CodingKey { case keyMetadata = "KeyMetadata" }
}
