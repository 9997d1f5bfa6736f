/// [DescribeKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html)
public struct DescribeKeyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var grantTokens: [String]?

    public init(keyId: String) { self.keyId = keyId }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case grantTokens = "GrantTokens"
    }
}

public struct DescribeKeyResponse: Codable, Sendable {
    public var keyMetadata: KeyMetadata
    public init(keyMetadata: KeyMetadata) { self.keyMetadata = keyMetadata }
    enum CodingKeys: String, CodingKey { case keyMetadata = "KeyMetadata" }
}

extension Validation {
    /// `GrantTokenList`: at most 10 tokens of 1 to 8192 characters each.
    public mutating func grantTokens(_ tokens: [String]?) {
        count(tokens, "grantTokens", 0...10)
        for (index, token) in (tokens ?? []).enumerated() {
            grantToken(token, "grantTokens.\(index + 1).member")
        }
    }
}
