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

    /// Built by appending into one reserved string: requests ask for it several times each.
    public var arn: String {
        var text = "arn:aws:kms:"
        text.reserveCapacity(text.utf8.count + region.utf8.count + accountId.utf8.count + keyId.utf8.count + 6)
        text += region
        text += ":"
        text += accountId
        text += ":key/"
        text += keyId
        return text
    }
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
    /// Changed only by ``Mutation/rotateKey(_:material:expected:nextRotationDate:onDemand:)``.
    public var currentVersion: Int
    /// Automatic rotation: the period in days while enabled, nil while disabled.
    /// Changed only by ``Mutation/setRotation(_:periodInDays:nextRotationDate:)``.
    public var rotationPeriodInDays: Int?
    /// When automatic rotation is next due; nil while it is disabled.
    public var nextRotationDate: Date?
    /// On-demand rotations so far (AWS allows a fixed number per key).
    public var onDemandRotations: Int
    /// EXTERNAL keys: the earliest ValidTo of the key's permanently associated material (every
    /// version up to the current one), as DescribeKey reports it; nil if none of it expires, or
    /// while any of it is missing. Changed only by the import mutations, which recompute it.
    public var validTo: Date?
    /// EXTERNAL keys: KEY_MATERIAL_EXPIRES if any permanently associated material expires,
    /// KEY_MATERIAL_DOES_NOT_EXPIRE if none does; nil while any of it is missing (deleted,
    /// expired, or never imported), which is when the key is PendingImport.
    public var expirationModel: ExpirationModelType?
    /// EXTERNAL keys: the KeyMaterialId of the material first imported, kept for the key's life:
    /// once it is set, ImportType defaults to EXISTING_KEY_MATERIAL.
    public var importedMaterialId: String?
    /// Multi-Region keys: the Region of the primary key (this key's own Region when it is the
    /// primary); nil for single-Region keys. Every related key shares the account and key id.
    public var primaryRegion: String?
    /// The key policy document exactly as given; nil means AWS's default key policy for the
    /// owning account (so rows written before key policies existed need no rewrite).
    /// Changed only by ``Mutation/setKeyPolicy(_:policy:)``.
    public var policy: String?

    public init(
        reference: KeyReference, creationDate: Date, description: String, keyUsage: KeyUsage, keySpec: KeySpec,
        keyState: KeyState, origin: OriginType, keyManager: KeyManagerType, deletionDate: Date? = nil,
        pendingWindowInDays: Int? = nil, multiRegion: Bool = false, currentVersion: Int = 1,
        rotationPeriodInDays: Int? = nil, nextRotationDate: Date? = nil, onDemandRotations: Int = 0,
        validTo: Date? = nil, expirationModel: ExpirationModelType? = nil, importedMaterialId: String? = nil,
        primaryRegion: String? = nil, policy: String? = nil
    ) {
        self.policy = policy
        self.primaryRegion = primaryRegion
        self.validTo = validTo
        self.expirationModel = expirationModel
        self.importedMaterialId = importedMaterialId
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
        self.rotationPeriodInDays = rotationPeriodInDays
        self.nextRotationDate = nextRotationDate
        self.onDemandRotations = onDemandRotations
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
    /// How this version came to be, if by rotation (nil for a key's first material).
    public var rotationType: RotationType?

    public init(
        reference: KeyReference, version: Int, materialId: String, wrappedMaterial: Data, createdAt: Date,
        rotationType: RotationType? = nil
    ) {
        self.reference = reference
        self.version = version
        self.materialId = materialId
        self.wrappedMaterial = wrappedMaterial
        self.createdAt = createdAt
        self.rotationType = rotationType
    }
}

/// Where one imported material of an EXTERNAL key stands: ListKeyRotations' ImportState,
/// with the ExpirationModel and ValidTo of the import that brought it in.
public enum ImportedMaterialState: Sendable, Equatable {
    /// IMPORTED: the material is present, and expires at `validTo` when that is given.
    case imported(ExpirationModelType, validTo: Date?)
    /// PENDING_IMPORT: deleted or expired; only the same material can be imported again.
    case pendingImport
}

/// One material ever associated with an EXTERNAL key, whether or not its bytes are present
/// (the non-secret part of its `key_materials` row). Versions up to the key's current version
/// are permanently associated; a version above it is imported material pending rotation.
/// [RotationsListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html)
public struct ImportedMaterialRecord: Sendable, Equatable {
    public var reference: KeyReference
    public var version: Int
    public var materialId: String
    public var state: ImportedMaterialState
    /// KeyMaterialDescription as last given on an import of this material.
    public var description: String?
    /// When the material was first imported, or, once a rotation made it current, when that
    /// rotation completed (RotationDate).
    public var createdAt: Date
    public var rotationType: RotationType?

    public init(
        reference: KeyReference, version: Int, materialId: String, state: ImportedMaterialState, description: String?,
        createdAt: Date, rotationType: RotationType?
    ) {
        self.reference = reference
        self.version = version
        self.materialId = materialId
        self.state = state
        self.description = description
        self.createdAt = createdAt
        self.rotationType = rotationType
    }

    public var isImported: Bool {
        if case .imported = state { return true }
        return false
    }
}

/// What an EXTERNAL key's record says of its imported material, recomputed by the store from
/// the material rows after every change to them, so DescribeKey needs no extra read.
public struct ImportedMaterialSummary: Sendable, Equatable {
    public var expirationModel: ExpirationModelType?
    public var validTo: Date?
    /// Some permanently associated material is missing: the key cannot be used (PendingImport).
    public var missing: Bool

    /// The summary over `materials` of a key whose current version is `currentVersion`;
    /// material pending rotation does not count.
    public init(_ materials: [ImportedMaterialRecord], currentVersion: Int) {
        let associated = materials.filter { $0.version <= currentVersion }
        var anyExpires = false
        var earliest: Date?
        missing = associated.isEmpty
        for material in associated {
            switch material.state {
            case .pendingImport: missing = true
            case .imported(let model, let validTo):
                if model == .keyMaterialExpires { anyExpires = true }
                if let validTo { earliest = min(earliest ?? validTo, validTo) }
            }
        }
        expirationModel = missing ? nil : (anyExpires ? .keyMaterialExpires : .keyMaterialDoesNotExpire)
        validTo = missing ? nil : earliest
    }

    /// The key state that goes with this summary: a key missing material is PendingImport, one
    /// that got all of it back is Enabled; Disabled and PendingDeletion keys keep their state
    /// while they have it all (and PendingDeletion always).
    public func keyState(from state: KeyState) -> KeyState {
        switch state {
        case .pendingDeletion: .pendingDeletion
        case _ where missing: .pendingImport
        case .pendingImport: .enabled
        default: state
        }
    }

    /// Applies the summary to a key record.
    public func apply(to key: inout KeyRecord) {
        key.expirationModel = expirationModel
        key.validTo = validTo
        key.keyState = keyState(from: key.keyState)
    }
}

/// What a scheduled key is due for, and when: `trent keys due` lists these, the scheduler acts
/// on those whose date has come.
public struct ScheduledWork: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case rotation = "RotateKey"
        case deletion = "DeleteKey"
        /// Imported key material whose ValidTo has passed: it is deleted, and the key goes back
        /// to PendingImport unless the material was only pending rotation.
        case materialExpiry = "DeleteExpiredKeyMaterial"
    }

    public var kind: Kind
    public var key: KeyRecord
    public var date: Date
    /// The material that expires (material expiry only).
    public var materialId: String?

    public init(kind: Kind, key: KeyRecord, date: Date, materialId: String? = nil) {
        self.kind = kind
        self.key = key
        self.date = date
        self.materialId = materialId
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

/// The wrapping key pair and token of one GetParametersForImport answer, valid 24 hours. The
/// private key is stored wrapped under the root key; the token names this record by `tokenId`.
public struct ImportParametersRecord: Sendable, Equatable {
    /// 64 lowercase hex characters: the random id the import token carries.
    public var tokenId: String
    public var reference: KeyReference
    public var wrappingAlgorithm: AlgorithmSpec
    public var wrappingKeySpec: WrappingKeySpec
    /// DER PKCS#8 of the wrapping private key, wrapped under the root key.
    public var wrappedPrivateKey: Data
    public var createdAt: Date
    public var validTo: Date

    public init(
        tokenId: String, reference: KeyReference, wrappingAlgorithm: AlgorithmSpec, wrappingKeySpec: WrappingKeySpec,
        wrappedPrivateKey: Data, createdAt: Date, validTo: Date
    ) {
        self.tokenId = tokenId
        self.reference = reference
        self.wrappingAlgorithm = wrappingAlgorithm
        self.wrappingKeySpec = wrappingKeySpec
        self.wrappedPrivateKey = wrappedPrivateKey
        self.createdAt = createdAt
        self.validTo = validTo
    }
}
