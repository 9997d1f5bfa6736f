import Foundation

/// [DeriveSharedSecret](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html)
public struct DeriveSharedSecretRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "KeyAgreementAlgorithm", "PublicKey"]

    public var keyId: String
    public var keyAgreementAlgorithm: WireValue<KeyAgreementAlgorithmSpec>
    /// The peer's DER SubjectPublicKeyInfo.
    public var publicKey: Data
    public var grantTokens: [String]?
    public var dryRun: Bool?
    public var recipient: RecipientInfo?

    public init(keyId: String, publicKey: Data, keyAgreementAlgorithm: KeyAgreementAlgorithmSpec = .ecdh) {
        self.keyId = keyId
        self.publicKey = publicKey
        self.keyAgreementAlgorithm = .known(keyAgreementAlgorithm)
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.member(keyAgreementAlgorithm, "keyAgreementAlgorithm")
        v.length(publicKey, "publicKey", 1...8192)
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyAgreementAlgorithm = "KeyAgreementAlgorithm"
        case publicKey = "PublicKey"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
        case recipient = "Recipient"
    }
}

public struct DeriveSharedSecretResponse: Codable, Sendable {
    public var keyId: String
    public var sharedSecret: Data
    public var keyAgreementAlgorithm: KeyAgreementAlgorithmSpec
    public var keyOrigin: OriginType

    public init(keyId: String, sharedSecret: Data, keyAgreementAlgorithm: KeyAgreementAlgorithmSpec, keyOrigin: OriginType) {
        self.keyId = keyId
        self.sharedSecret = sharedSecret
        self.keyAgreementAlgorithm = keyAgreementAlgorithm
        self.keyOrigin = keyOrigin
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case sharedSecret = "SharedSecret"
        case keyAgreementAlgorithm = "KeyAgreementAlgorithm"
        case keyOrigin = "KeyOrigin"
    }
}
