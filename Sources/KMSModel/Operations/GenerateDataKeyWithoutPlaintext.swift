import Foundation

/// [GenerateDataKeyWithoutPlaintext](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html)
/// The request has GenerateDataKey's members; the response omits the plaintext.
public typealias GenerateDataKeyWithoutPlaintextRequest = GenerateDataKeyRequest

public struct GenerateDataKeyWithoutPlaintextResponse: Codable, Sendable {
    public var ciphertextBlob: Data
    public var keyId: String
    public var keyMaterialId: String?

    public init(ciphertextBlob: Data, keyId: String, keyMaterialId: String?) {
        self.ciphertextBlob = ciphertextBlob
        self.keyId = keyId
        self.keyMaterialId = keyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case keyId = "KeyId"
        case keyMaterialId = "KeyMaterialId"
    }
}
