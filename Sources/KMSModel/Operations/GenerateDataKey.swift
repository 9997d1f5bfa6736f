import Foundation

/// [GenerateDataKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html)
public struct GenerateDataKeyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var encryptionContext: [String: String]?
    public var numberOfBytes: Int?
    public var keySpec: WireValue<DataKeySpec>?
    public var grantTokens: [String]?
    public var dryRun: Bool?

    public init(keyId: String, keySpec: DataKeySpec? = nil, numberOfBytes: Int? = nil, encryptionContext: [String: String]? = nil) {
        self.keyId = keyId
        self.keySpec = keySpec.map(WireValue.known)
        self.numberOfBytes = numberOfBytes
        self.encryptionContext = encryptionContext
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.range(numberOfBytes, "numberOfBytes", 1...1024)
        v.member(keySpec, "keySpec")
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case encryptionContext = "EncryptionContext"
        case numberOfBytes = "NumberOfBytes"
        case keySpec = "KeySpec"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
    }
}

public struct GenerateDataKeyResponse: Codable, Sendable {
    public var ciphertextBlob: Data
    public var plaintext: Data
    public var keyId: String
    public var keyMaterialId: String?

    public init(ciphertextBlob: Data, plaintext: Data, keyId: String, keyMaterialId: String?) {
        self.ciphertextBlob = ciphertextBlob
        self.plaintext = plaintext
        self.keyId = keyId
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case plaintext = "Plaintext"
        case keyId = "KeyId"
        case keyMaterialId = "KeyMaterialId"
    }
}
