import Foundation

/// [Encrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html)
public struct EncryptRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Plaintext"]

    public var keyId: String
    public var plaintext: Data
    public var encryptionContext: [String: String]?
    public var grantTokens: [String]?
    public var encryptionAlgorithm: WireValue<EncryptionAlgorithmSpec>?
    public var dryRun: Bool?

    public init(keyId: String, plaintext: Data, encryptionContext: [String: String]? = nil) {
        self.keyId = keyId
        self.plaintext = plaintext
        self.encryptionContext = encryptionContext
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(plaintext, "plaintext", 1...4096)
        v.grantTokens(grantTokens)
        v.member(encryptionAlgorithm, "encryptionAlgorithm")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case plaintext = "Plaintext"
        case encryptionContext = "EncryptionContext"
        case grantTokens = "GrantTokens"
        case encryptionAlgorithm = "EncryptionAlgorithm"
        case dryRun = "DryRun"
    }
}

public struct EncryptResponse: Codable, Sendable {
    public var ciphertextBlob: Data
    public var keyId: String
    public var encryptionAlgorithm: EncryptionAlgorithmSpec

    public init(ciphertextBlob: Data, keyId: String, encryptionAlgorithm: EncryptionAlgorithmSpec) {
        self.ciphertextBlob = ciphertextBlob
        self.keyId = keyId
        self.encryptionAlgorithm = encryptionAlgorithm
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case keyId = "KeyId"
        case encryptionAlgorithm = "EncryptionAlgorithm"
    }
}
