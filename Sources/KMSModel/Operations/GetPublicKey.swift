import Foundation

/// [GetPublicKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html)
public struct GetPublicKeyRequest: ValidatedRequest {
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

public struct GetPublicKeyResponse: Codable, Sendable {
    public var keyId: String
    /// DER SubjectPublicKeyInfo (RFC 5280).
    public var publicKey: Data
    public var customerMasterKeySpec: CustomerMasterKeySpec?
    public var keySpec: KeySpec
    public var keyUsage: KeyUsage
    public var encryptionAlgorithms: [EncryptionAlgorithmSpec]?
    public var signingAlgorithms: [SigningAlgorithmSpec]?
    public var keyAgreementAlgorithms: [KeyAgreementAlgorithmSpec]?

    public init(
        keyId: String, publicKey: Data, keySpec: KeySpec, keyUsage: KeyUsage,
        encryptionAlgorithms: [EncryptionAlgorithmSpec]?, signingAlgorithms: [SigningAlgorithmSpec]?,
        keyAgreementAlgorithms: [KeyAgreementAlgorithmSpec]?
    ) {
        self.keyId = keyId
        self.publicKey = publicKey
        self.customerMasterKeySpec = CustomerMasterKeySpec(rawValue: keySpec.rawValue)
        self.keySpec = keySpec
        self.keyUsage = keyUsage
        self.encryptionAlgorithms = encryptionAlgorithms
        self.signingAlgorithms = signingAlgorithms
        self.keyAgreementAlgorithms = keyAgreementAlgorithms
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case publicKey = "PublicKey"
        case customerMasterKeySpec = "CustomerMasterKeySpec"
        case keySpec = "KeySpec"
        case keyUsage = "KeyUsage"
        case encryptionAlgorithms = "EncryptionAlgorithms"
        case signingAlgorithms = "SigningAlgorithms"
        case keyAgreementAlgorithms = "KeyAgreementAlgorithms"
    }
}
