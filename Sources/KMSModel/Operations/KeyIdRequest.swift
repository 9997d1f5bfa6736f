/// The request of the operations that name one key and nothing else:
/// [EnableKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html),
/// [DisableKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html),
/// [CancelKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html).
public struct KeyIdRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String

    public init(keyId: String) { self.keyId = keyId }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
    }

    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

public typealias EnableKeyRequest = KeyIdRequest
public typealias DisableKeyRequest = KeyIdRequest
public typealias CancelKeyDeletionRequest = KeyIdRequest

public struct CancelKeyDeletionResponse: Codable, Sendable {
    public var keyId: String
    public init(keyId: String) { self.keyId = keyId }
    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}
