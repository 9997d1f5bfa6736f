import Foundation
import KMSModel

/// One change to the store. Operations describe their changes as values; the pipeline commits
/// them together with the request's audit record, in one transaction.
public enum Mutation: Sendable, Equatable {
    /// Refused with ``RepositoryError/alreadyExists`` if the key exists. `material` is nil for
    /// a key created without material (Origin EXTERNAL, pending import).
    case insertKey(KeyRecord, material: KeyMaterialRecord?, tags: [Tag])
    /// Adds a replica of a multi-Region key: its record, every material version of the primary
    /// (re-wrapped for the replica's Region; none for an EXTERNAL primary, whose replica is
    /// PendingImport until its own import) and its own tags. Refused with
    /// ``RepositoryError/alreadyExists`` if the key exists in that Region, and with
    /// ``RepositoryError/conflict`` unless the primary (in the record's `primaryRegion`) is still
    /// Enabled or Disabled at the record's `currentVersion`: a replica never misses a version
    /// rotated in meanwhile, and never appears beside a primary scheduled for deletion.
    case insertReplica(KeyRecord, materials: [KeyMaterialRecord], tags: [Tag])
    /// Makes `primaryRegion` the primary Region of every key of the account with that key id,
    /// and moves the automatic rotation schedule (period, next date, on-demand count), which
    /// only a primary holds, from the former primary to the new one. Refused with
    /// ``RepositoryError/notFound`` if no key in that Region has that id, and with
    /// ``RepositoryError/conflict`` unless both the current and the new primary are Enabled.
    case setPrimaryRegion(accountId: String, keyId: String, primaryRegion: String)
    /// Refused with ``RepositoryError/notFound`` if the key is gone. Writes the key's description,
    /// state and deletion schedule; never its material version or rotation schedule, which
    /// have their own conditional changes below, so a stale read cannot roll them back.
    case updateKey(KeyRecord)
    /// Turns automatic rotation on (a period and the next due date) or off (both nil).
    /// Refused with ``RepositoryError/notFound`` if the key is gone.
    case setRotation(KeyReference, periodInDays: Int?, nextRotationDate: Date?)
    /// Adds `material` as the key's new current version. A claim: refused with
    /// ``RepositoryError/conflict`` unless the key's current version is still
    /// `material.version - 1` and, when `expected` names one, its next rotation date is still
    /// that date; so of several processes that saw the same due date, exactly one rotates.
    /// `nextRotationDate` replaces the schedule when given; `onDemand` counts the rotation.
    case rotateKey(
        KeyReference, material: KeyMaterialRecord, expectedNextRotationDate: Date?, nextRotationDate: Date?, onDemand: Bool)
    /// Rotates every Region's copy of a multi-Region key at once: `materials` holds the new
    /// version (one number, n) for each related key, re-wrapped for its Region; every copy
    /// advances to n, and the schedule, which only the primary holds, is updated as by
    /// ``rotateKey(_:material:expectedNextRotationDate:nextRotationDate:onDemand:)``. A claim:
    /// refused with ``RepositoryError/conflict`` unless `primary` is still the primary, the
    /// related keys are exactly the Regions of `materials`, all at version n - 1, and (when
    /// `expected` names one) the primary's next rotation date is still that date; with
    /// ``RepositoryError/notFound`` if the primary is gone.
    case rotateRelatedKeys(
        primary: KeyReference, materials: [KeyMaterialRecord], expectedNextRotationDate: Date?, nextRotationDate: Date?,
        onDemand: Bool)
    /// Destroys a key whose deletion is due: the key, every material version, its tags, its
    /// aliases and its grants. Refused with ``RepositoryError/conflict`` unless the key is still pending
    /// deletion on exactly `deletionDate` (a cancelled or rescheduled deletion never executes), and
    /// unless it is a multi-Region primary that still has a replica.
    case deleteKey(KeyReference, deletionDate: Date)
    /// Starts the waiting period of a multi-Region primary key scheduled for deletion while it
    /// had replicas: if the primary of that key id is PendingReplicaDeletion and no replica is
    /// left, it becomes PendingDeletion, due `startingAt` plus its waiting period. Otherwise
    /// nothing changes; never refused. Committed with the deletion of a replica, and with the
    /// scheduling of a primary's deletion (in case its last replica went meanwhile).
    case beginPrimaryDeletionWindow(accountId: String, keyId: String, startingAt: Date)
    /// Stores the parameters of one GetParametersForImport answer. Refused with
    /// ``RepositoryError/notFound`` if the key is gone.
    case insertImportParameters(ImportParametersRecord)
    /// Removes import parameters whose 24 hours ended before `expiredBefore`.
    case deleteImportParameters(expiredBefore: Date)
    /// Imports `material` into an EXTERNAL key, with its expiry and (when given) description.
    /// `material.version` says which: the version of the same material imported before (a
    /// re-import: its bytes and expiry are written again, its description kept unless a new one
    /// is given), version 1 for a key's first material, or the current version + 1 for new
    /// material pending rotation. The key record's summary and state are then recomputed
    /// (``ImportedMaterialSummary``): PendingImport becomes Enabled once no permanently
    /// associated material is missing. Refused with ``RepositoryError/conflict`` if the key is
    /// pending deletion, if that version holds other material, or if new material would not be
    /// the only material pending rotation; ``RepositoryError/notFound`` if the key is gone.
    case importKeyMaterial(
        KeyReference, material: KeyMaterialRecord, expirationModel: ExpirationModelType, validTo: Date?,
        description: String?)
    /// Destroys one imported material of a key. Material pending rotation is forgotten
    /// altogether; permanently associated material keeps its row (id, version, description)
    /// without its bytes, and the key becomes PendingImport (a key pending deletion stays so).
    /// Refused with ``RepositoryError/notFound`` if the key is gone or has no such material;
    /// when `expectedValidTo` is given (the scheduler's claim), with ``RepositoryError/conflict``
    /// unless that material is still present and expiring exactly then.
    case deleteImportedKeyMaterial(KeyReference, materialId: String, expectedValidTo: Date?)
    /// On-demand rotation of an EXTERNAL key: the imported material pending rotation at
    /// `version` becomes current (its rotation type ON_DEMAND, its rotation date `rotatedAt`),
    /// and the rotation is counted. A claim, like ``rotateKey(_:material:expectedNextRotationDate:nextRotationDate:onDemand:)``:
    /// refused with ``RepositoryError/conflict`` unless the current version is still `version - 1`
    /// and that material is still present.
    case rotateToImportedMaterial(KeyReference, version: Int, rotatedAt: Date)
    /// Refused with ``RepositoryError/alreadyExists`` if the name is taken in that account and Region.
    case insertAlias(AliasRecord)
    /// Refused with ``RepositoryError/notFound`` if the alias is gone.
    case updateAlias(AliasRecord)
    /// Refused with ``RepositoryError/notFound`` if there is no such alias.
    case deleteAlias(accountId: String, region: String, name: String)
    /// Adds or overwrites the given tags.
    case putTags(KeyReference, [Tag])
    case removeTags(KeyReference, keys: [String])
    /// Refused with ``RepositoryError/alreadyExists`` if the access key id exists.
    case insertCredential(CredentialRecord)
    /// Replaces the key's policy document. Refused with ``RepositoryError/notFound`` if the key is gone.
    case setKeyPolicy(KeyReference, policy: String)
    /// Refused with ``RepositoryError/notFound`` if the key is gone, ``RepositoryError/alreadyExists``
    /// if the grant id is taken.
    case insertGrant(GrantRecord)
    /// Retires or revokes a grant. Refused with ``RepositoryError/notFound`` unless the key has
    /// a grant with that id (so of two racing retirements, one fails).
    case deleteGrant(KeyReference, grantId: String)
}

/// One request's share of a commit: its changes and its audit record. Either both are written
/// or neither is.
public struct CommitItem: Sendable {
    public var mutations: [Mutation]
    public var audit: AuditEntry?

    public init(mutations: [Mutation], audit: AuditEntry?) {
        self.mutations = mutations
        self.audit = audit
    }
}

/// What became of one item of a commit.
public enum CommitOutcome: Sendable, Equatable {
    /// Written; the audit record's sequence number, if it had one.
    case committed(sequence: Int64?)
    /// A mutation was refused; nothing of this item was written.
    case refused(RepositoryError)
}
