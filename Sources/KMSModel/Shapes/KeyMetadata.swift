import Foundation

/// Metadata of a KMS key, as CreateKey and DescribeKey return it.
/// [KeyMetadata](https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html)
public struct KeyMetadata: Codable, Sendable, Equatable {
    public var awsAccountId: String
    public var keyId: String
    public var arn: String
    public var creationDate: Date
    public var enabled: Bool
    public var description: String
    public var keyUsage: KeyUsage
    public var keyState: KeyState
    public var deletionDate: Date?
    /// A multi-Region primary key scheduled for deletion while it has replicas
    /// (PendingReplicaDeletion): the waiting period that starts when its last replica is deleted.
    /// Absent in every other state, as DeletionDate is absent in that one.
    public var pendingDeletionWindowInDays: Int?
    /// When imported key material expires (EXTERNAL keys whose material expires).
    public var validTo: Date?
    /// EXTERNAL keys with material only.
    public var expirationModel: ExpirationModelType?
    public var origin: OriginType
    public var keyManager: KeyManagerType
    public var customerMasterKeySpec: CustomerMasterKeySpec?
    public var keySpec: KeySpec
    public var encryptionAlgorithms: [EncryptionAlgorithmSpec]?
    public var signingAlgorithms: [SigningAlgorithmSpec]?
    public var keyAgreementAlgorithms: [KeyAgreementAlgorithmSpec]?
    public var macAlgorithms: [MacAlgorithmSpec]?
    public var multiRegion: Bool
    public var currentKeyMaterialId: String?
    /// Multi-Region keys only: the primary and every replica.
    public var multiRegionConfiguration: MultiRegionConfiguration?

    public init(
        awsAccountId: String, keyId: String, arn: String, creationDate: Date, enabled: Bool,
        description: String, keyUsage: KeyUsage, keyState: KeyState, deletionDate: Date?,
        origin: OriginType, keyManager: KeyManagerType, customerMasterKeySpec: CustomerMasterKeySpec?,
        keySpec: KeySpec, encryptionAlgorithms: [EncryptionAlgorithmSpec]?,
        signingAlgorithms: [SigningAlgorithmSpec]? = nil, keyAgreementAlgorithms: [KeyAgreementAlgorithmSpec]? = nil,
        macAlgorithms: [MacAlgorithmSpec]? = nil, multiRegion: Bool, currentKeyMaterialId: String?,
        validTo: Date? = nil, expirationModel: ExpirationModelType? = nil
    ) {
        self.validTo = validTo
        self.expirationModel = expirationModel
        self.awsAccountId = awsAccountId
        self.keyId = keyId
        self.arn = arn
        self.creationDate = creationDate
        self.enabled = enabled
        self.description = description
        self.keyUsage = keyUsage
        self.keyState = keyState
        self.deletionDate = deletionDate
        self.origin = origin
        self.keyManager = keyManager
        self.customerMasterKeySpec = customerMasterKeySpec
        self.keySpec = keySpec
        self.encryptionAlgorithms = encryptionAlgorithms
        self.signingAlgorithms = signingAlgorithms
        self.keyAgreementAlgorithms = keyAgreementAlgorithms
        self.macAlgorithms = macAlgorithms
        self.multiRegion = multiRegion
        self.currentKeyMaterialId = currentKeyMaterialId
    }

    enum CodingKeys: String, CodingKey {
        case awsAccountId = "AWSAccountId"
        case keyId = "KeyId"
        case arn = "Arn"
        case creationDate = "CreationDate"
        case enabled = "Enabled"
        case description = "Description"
        case keyUsage = "KeyUsage"
        case keyState = "KeyState"
        case deletionDate = "DeletionDate"
        case pendingDeletionWindowInDays = "PendingDeletionWindowInDays"
        case validTo = "ValidTo"
        case expirationModel = "ExpirationModel"
        case origin = "Origin"
        case keyManager = "KeyManager"
        case customerMasterKeySpec = "CustomerMasterKeySpec"
        case keySpec = "KeySpec"
        case encryptionAlgorithms = "EncryptionAlgorithms"
        case signingAlgorithms = "SigningAlgorithms"
        case multiRegionConfiguration = "MultiRegionConfiguration"
        case keyAgreementAlgorithms = "KeyAgreementAlgorithms"
        case macAlgorithms = "MacAlgorithms"
        case multiRegion = "MultiRegion"
        case currentKeyMaterialId = "CurrentKeyMaterialId"
    }
}

/// [MultiRegionConfiguration](https://docs.aws.amazon.com/kms/latest/APIReference/API_MultiRegionConfiguration.html)
public struct MultiRegionConfiguration: Codable, Sendable, Equatable {
    public var multiRegionKeyType: String
    public var primaryKey: MultiRegionKey?
    public var replicaKeys: [MultiRegionKey]

    public init(multiRegionKeyType: String, primaryKey: MultiRegionKey?, replicaKeys: [MultiRegionKey]) {
        self.multiRegionKeyType = multiRegionKeyType
        self.primaryKey = primaryKey
        self.replicaKeys = replicaKeys
    }

    enum CodingKeys: String, CodingKey {
        case multiRegionKeyType = "MultiRegionKeyType"
        case primaryKey = "PrimaryKey"
        case replicaKeys = "ReplicaKeys"
    }
}

/// [MultiRegionKey](https://docs.aws.amazon.com/kms/latest/APIReference/API_MultiRegionKey.html)
public struct MultiRegionKey: Codable, Sendable, Equatable {
    public var arn: String
    public var region: String

    public init(arn: String, region: String) {
        self.arn = arn
        self.region = region
    }

    enum CodingKeys: String, CodingKey {
        case arn = "Arn"
        case region = "Region"
    }
}
