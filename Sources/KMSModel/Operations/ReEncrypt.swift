import Foundation

/// [ReEncrypt](https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html)
public struct ReEncryptRequest: ValidatedRequest {
    public static let requiredMembers = ["CiphertextBlob", "DestinationKeyId"]

    public var ciphertextBlob: Data
    public var sourceEncryptionContext: [String: String]?
    public var sourceKeyId: String?
    public var destinationKeyId: String
    public var destinationEncryptionContext: [String: String]?
    public var sourceEncryptionAlgorithm: WireValue<EncryptionAlgorithmSpec>?
    public var destinationEncryptionAlgorithm: WireValue<EncryptionAlgorithmSpec>?
    public var grantTokens: [String]?
    public var dryRun: Bool?

    public init(
        ciphertextBlob: Data, destinationKeyId: String,
        sourceEncryptionContext: [String: String]? = nil, destinationEncryptionContext: [String: String]? = nil,
        sourceKeyId: String? = nil
    ) {
        self.ciphertextBlob = ciphertextBlob
        self.destinationKeyId = destinationKeyId
        self.sourceEncryptionContext = sourceEncryptionContext
        self.destinationEncryptionContext = destinationEncryptionContext
        self.sourceKeyId = sourceKeyId
    }

    public func validate(into v: inout Validation) {
        v.length(ciphertextBlob, "ciphertextBlob", 1...6144)
        v.keyId(sourceKeyId, "sourceKeyId")
        v.keyId(destinationKeyId, "destinationKeyId")
        v.member(sourceEncryptionAlgorithm, "sourceEncryptionAlgorithm")
        v.member(destinationEncryptionAlgorithm, "destinationEncryptionAlgorithm")
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case sourceEncryptionContext = "SourceEncryptionContext"
        case sourceKeyId = "SourceKeyId"
        case destinationKeyId = "DestinationKeyId"
        case destinationEncryptionContext = "DestinationEncryptionContext"
        case sourceEncryptionAlgorithm = "SourceEncryptionAlgorithm"
        case destinationEncryptionAlgorithm = "DestinationEncryptionAlgorithm"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
    }
}

public struct ReEncryptResponse: Codable, Sendable {
    public var ciphertextBlob: Data
    public var sourceKeyId: String
    public var keyId: String
    public var sourceEncryptionAlgorithm: EncryptionAlgorithmSpec
    public var destinationEncryptionAlgorithm: EncryptionAlgorithmSpec
    public var sourceKeyMaterialId: String?
    public var destinationKeyMaterialId: String?

    public init(
        ciphertextBlob: Data, sourceKeyId: String, keyId: String,
        sourceEncryptionAlgorithm: EncryptionAlgorithmSpec, destinationEncryptionAlgorithm: EncryptionAlgorithmSpec,
        sourceKeyMaterialId: String?, destinationKeyMaterialId: String?
    ) {
        self.ciphertextBlob = ciphertextBlob
        self.sourceKeyId = sourceKeyId
        self.keyId = keyId
        self.sourceEncryptionAlgorithm = sourceEncryptionAlgorithm
        self.destinationEncryptionAlgorithm = destinationEncryptionAlgorithm
        self.sourceKeyMaterialId = sourceKeyMaterialId
        self.destinationKeyMaterialId = destinationKeyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob"
        case sourceKeyId = "SourceKeyId"
        case keyId = "KeyId"
        case sourceEncryptionAlgorithm = "SourceEncryptionAlgorithm"
        case destinationEncryptionAlgorithm = "DestinationEncryptionAlgorithm"
        case sourceKeyMaterialId = "SourceKeyMaterialId"
        case destinationKeyMaterialId = "DestinationKeyMaterialId"
    }
}
