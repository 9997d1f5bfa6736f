import Foundation

/// [Decrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html)
public struct DecryptRequest: ValidatedRequest {
    public static let requiredMembers = ["CiphertextBlob"]

    public var ciphertextBlob: Data
    public var encryptionContext: [String: String]?
    public var grantTokens: [String]?
    public var keyId: String?
    public var encryptionAlgorithm: WireValue<EncryptionAlgorithmSpec>?
    public var dryRun: Bool?

    public init(ciphertextBlob: Data, encryptionContext: [String: String]? = nil, keyId: String? = nil) {
        self.ciphertextBlob = ciphertextBlob
        self.encryptionContext = encryptionContext
        self.keyId = keyId
    }

    public func validate(into v: inout Validation) {
        v.length(ciphertextBlob, "ciphertextBlob", 1...6144)
        v.grantTokens(grantTokens)
        v.keyId(keyId)
        v.member(encryptionAlgorithm, "encryptionAlgorithm")
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case encryptionContext = "EncryptionContext"
        case grantTokens = "GrantTokens"
        case keyId = "KeyId"
        case encryptionAlgorithm = "EncryptionAlgorithm"
        case dryRun = "DryRun"
    }
}

public struct DecryptResponse: Codable, Sendable {
    public var keyId: String
    public var plaintext: Data
    public var encryptionAlgorithm: EncryptionAlgorithmSpec
    public var keyMaterialId: String?

    public init(keyId: String, plaintext: Data, encryptionAlgorithm: EncryptionAlgorithmSpec, keyMaterialId: String?) {
        self.keyId = keyId
        self.plaintext = plaintext
        self.encryptionAlgorithm = encryptionAlgorithm
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case plaintext = "Plaintext"
        case encryptionAlgorithm = "EncryptionAlgorithm"
        case keyMaterialId = "KeyMaterialId"
    }
}
