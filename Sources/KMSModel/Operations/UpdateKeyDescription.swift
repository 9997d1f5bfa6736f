/// [UpdateKeyDescription](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html)
public struct UpdateKeyDescriptionRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Description"]

    public var keyId: String
    public var description: String

    public init(keyId: String, description: String) {
        self.keyId = keyId
        self.description = description
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(description, "description", 0...8192)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case description = "Description"
    }
}
