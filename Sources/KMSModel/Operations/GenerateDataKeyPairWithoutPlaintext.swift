import Foundation

/// [GenerateDataKeyPairWithoutPlaintext](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html)
/// The request has GenerateDataKeyPair's members (Recipient aside); the response omits the private key's plaintext.
public typealias GenerateDataKeyPairWithoutPlaintextRequest = GenerateDataKeyPairRequest

public struct GenerateDataKeyPairWithoutPlaintextResponse: Codable, Sendable {
    public var privateKeyCiphertextBlob: Data
    public var publicKey: Data
    public var keyId: String
    public var keyPairSpec: DataKeyPairSpec
    public var keyMaterialId: String?

    public init(privateKeyCiphertextBlob: Data, publicKey: Data, keyId: String, keyPairSpec: DataKeyPairSpec, keyMaterialId: String?) {
        self.privateKeyCiphertextBlob = privateKeyCiphertextBlob
        self.publicKey = publicKey
        self.keyId = keyId
        self.keyPairSpec = keyPairSpec
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case privateKeyCiphertextBlob = "PrivateKeyCiphertextBlob"
        case publicKey = "PublicKey"
        case keyId = "KeyId"
        case keyPairSpec = "KeyPairSpec"
        case keyMaterialId = "KeyMaterialId"
    }
}
