import Foundation

/// [GenerateDataKeyPair](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html)
public struct GenerateDataKeyPairRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "KeyPairSpec"]

    public var encryptionContext: [String: String]?
    public var keyId: String
    public var keyPairSpec: WireValue<DataKeyPairSpec>
    public var grantTokens: [String]?
    public var recipient: RecipientInfo?
    public var dryRun: Bool?

    public init(keyId: String, keyPairSpec: DataKeyPairSpec, encryptionContext: [String: String]? = nil) {
        self.keyId = keyId
        self.keyPairSpec = .known(keyPairSpec)
        self.encryptionContext = encryptionContext
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.member(keyPairSpec, "keyPairSpec")
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case encryptionContext = "EncryptionContext"
        case keyId = "KeyId"
        case keyPairSpec = "KeyPairSpec"
        case grantTokens = "GrantTokens"
        case recipient = "Recipient"
        case dryRun = "DryRun"
    }
}

public struct GenerateDataKeyPairResponse: Codable, Sendable {
    public var privateKeyCiphertextBlob: Data
    /// DER PKCS#8 PrivateKeyInfo (RFC 5958).
    public var privateKeyPlaintext: Data
    /// DER SubjectPublicKeyInfo (RFC 5280).
    public var publicKey: Data
    public var keyId: String
    public var keyPairSpec: DataKeyPairSpec
    public var keyMaterialId: String?

    public init(
        privateKeyCiphertextBlob: Data, privateKeyPlaintext: Data, publicKey: Data, keyId: String,
        keyPairSpec: DataKeyPairSpec, keyMaterialId: String?
    ) {
        self.privateKeyCiphertextBlob = privateKeyCiphertextBlob
        self.privateKeyPlaintext = privateKeyPlaintext
        self.publicKey = publicKey
        self.keyId = keyId
        self.keyPairSpec = keyPairSpec
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case privateKeyCiphertextBlob = "PrivateKeyCiphertextBlob"
        case privateKeyPlaintext = "PrivateKeyPlaintext"
        case publicKey = "PublicKey"
        case keyId = "KeyId"
        case keyPairSpec = "KeyPairSpec"
        case keyMaterialId = "KeyMaterialId"
    }
}
