import Foundation
import KMSModel

/// Where a KMS key lives: its account and Region namespace, and its id within them.
public struct KeyReference: Sendable, Hashable {
    public var accountId: String
    public var region: String
    public var keyId: String

    public init(accountId: String, region: String, keyId: String) {
        self.accountId = accountId
        self.region = region
        self.keyId = keyId
    }

    public var arn: String { "arn:aws:kms:\(region):\(accountId):key/\(keyId)" }
}

/// A KMS key as stored: everything in KeyMetadata that is not derived.
public struct KeyRecord: Sendable, Equatable {
    public var reference: KeyReference
    public var creationDate: Date
    public var description: String
    public var keyUsage: KeyUsage
    public var keySpec: KeySpec
    public var keyState: KeyState
    public var origin: OriginType
    public var keyManager: KeyManagerType
    public var deletionDate: Date?
    public var pendingWindowInDays: Int?
    public var multiRegion: Bool
    /// The key material version new ciphertexts use; every earlier version still decrypts.
    public var currentVersion: Int

    public init(
        reference: KeyReference, creationDate: Date, description: String, keyUsage: KeyUsage, keySpec: KeySpec,
        keyState: KeyState, origin: OriginType, keyManager: KeyManagerType, deletionDate: Date? = nil,
        pendingWindowInDays: Int? = nil, multiRegion: Bool = false, currentVersion: Int = 1
    ) {
        self.reference = reference
        self.creationDate = creationDate
        self.description = description
        self.keyUsage = keyUsage
        self.keySpec = keySpec
        self.keyState = keyState
        self.origin = origin
        self.keyManager = keyManager
        self.deletionDate = deletionDate
        self.pendingWindowInDays = pendingWindowInDays
        self.multiRegion = multiRegion
        self.currentVersion = currentVersion
    }
}

/// One version of a key's material, wrapped under the root key. Never stored in plaintext.
public struct KeyMaterialRecord: Sendable, Equatable {
    public var reference: KeyReference
    public var version: Int
    /// AWS's KeyMaterialId: 64 lowercase hex characters naming this version.
    public var materialId: String
    public var wrappedMaterial: Data
    public var createdAt: Date

    public init(reference: KeyReference, version: Int, materialId: String, wrappedMaterial: Data, createdAt: Date) {
        self.reference = reference
        self.version = version
        self.materialId = materialId
        self.wrappedMaterial = wrappedMaterial
        self.createdAt = createdAt
    }
}

/// An alias: a friendly name for one key in one account and Region.
public struct AliasRecord: Sendable, Equatable {
    public var accountId: String
    public var region: String
    /// The full name, `alias/…`.
    public var aliasName: String
    public var targetKeyId: String
    public var creationDate: Date
    public var lastUpdatedDate: Date

    public init(accountId: String, region: String, aliasName: String, targetKeyId: String, creationDate: Date, lastUpdatedDate: Date) {
        self.accountId = accountId
        self.region = region
        self.aliasName = aliasName
        self.targetKeyId = targetKeyId
        self.creationDate = creationDate
        self.lastUpdatedDate = lastUpdatedDate
    }

    public var arn: String { "arn:aws:kms:\(region):\(accountId):\(aliasName)" }
}

/// An access key: the id is public, the secret is stored wrapped under the root key.
public struct CredentialRecord: Sendable, Equatable {
    public var accessKeyId: String
    public var accountId: String
    public var principalArn: String
    public var wrappedSecret: Data
    public var createdAt: Date

    public init(accessKeyId: String, accountId: String, principalArn: String, wrappedSecret: Data, createdAt: Date) {
        self.accessKeyId = accessKeyId
        self.accountId = accountId
        self.principalArn = principalArn
        self.wrappedSecret = wrappedSecret
        self.createdAt = createdAt
    }
}
