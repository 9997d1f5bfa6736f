import Foundation
import KMSModel

/// The store behind Trent: reads, and one write path, ``commit(_:)``.
///
/// A commit takes the changes and audit records of several requests at once (group commit: one
/// disk flush for all of them). Each item is all-or-nothing on its own: a refused mutation
/// rolls back that item only, and its audit record is not appended. Core never holds a
/// transaction open across an await, so a networked database needs nothing more.
///
/// Listing calls page by the natural key: they return rows strictly after `after`, in order,
/// at most `limit` of them.
public protocol KeyRepository: AuditStore, PrincipalStore {
    func commit(_ items: [CommitItem]) async throws -> [CommitOutcome]
    /// The same commit, run on the calling thread, from a store that can: group commit then
    /// writes from a thread of its own. Nil when the store commits asynchronously only.
    var synchronousCommit: (@Sendable ([CommitItem]) throws -> [CommitOutcome])? { get }

    func key(_ reference: KeyReference) async throws -> KeyRecord?
    /// Every Region's copy of a multi-Region key (primary and replicas), ordered by Region.
    func multiRegionKeys(accountId: String, keyId: String) async throws -> [KeyRecord]
    /// The ids of an account's keys in one Region, in id order, after `after`: all ListKeys needs.
    func listKeyIds(accountId: String, region: String, after: String?, limit: Int) async throws -> [String]
    func material(_ reference: KeyReference, version: Int) async throws -> KeyMaterialRecord?
    /// A key's material versions in version order, after `afterVersion`. Only material that is
    /// present: imported material deleted or expired is not listed (see ``importedMaterials(_:)``).
    func materials(_ reference: KeyReference, afterVersion: Int, limit: Int) async throws -> [KeyMaterialRecord]
    /// Every material ever associated with an EXTERNAL key, present or not, pending rotation
    /// included, in version order.
    func importedMaterials(_ reference: KeyReference) async throws -> [ImportedMaterialRecord]
    /// Scheduled work of every account and Region, by date: automatic rotations of enabled
    /// keys, deletions of keys pending deletion and expiries of imported key material, due on or before `dueBy` (all when nil).
    func scheduledWork(dueBy: Date?, limit: Int) async throws -> [ScheduledWork]

    /// The stored parameters an import token names, expired or not.
    func importParameters(tokenId: String) async throws -> ImportParametersRecord?

    func alias(accountId: String, region: String, name: String) async throws -> AliasRecord?
    func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) async throws -> [AliasRecord]

    /// Tags ordered by tag key.
    func tags(_ reference: KeyReference) async throws -> [Tag]

    /// One page of a key's grants that match `filter`, ordered by grant id, after `after`.
    func grants(of reference: KeyReference, matching filter: GrantFilter, after: String?, limit: Int) async throws -> [GrantRecord]
    /// Every grant of a key, ordered by grant id: what authorization evaluates.
    func grants(of reference: KeyReference) async throws -> [GrantRecord]
    /// One page of the grants on any key in `region` (of any account) whose retiring principal
    /// is `retiringPrincipal`, ordered by grant id, after `after`.
    func retirableGrants(retiringPrincipal: String, region: String, after: String?, limit: Int) async throws -> [GrantRecord]
    /// The grant with this id, on whichever key.
    func grant(id: String) async throws -> GrantRecord?

    func credential(accessKeyId: String) async throws -> CredentialRecord?
    func credentialCount() async throws -> Int
}

public enum RepositoryError: Error, Equatable, Sendable {
    case notFound
    case alreadyExists
    /// A conditional change found the row no longer as read (another process got there first).
    case conflict
    /// A stored value no longer parses (an enum written by a newer version, say).
    case corrupt(String)
}

/// Single changes without an audit record, for setup and tests.
extension KeyRepository {
    public var synchronousCommit: (@Sendable ([CommitItem]) throws -> [CommitOutcome])? { nil }

    /// Commits `mutations` as one item; throws the refusal if there is one.
    public func apply(_ mutations: [Mutation]) async throws {
        let outcomes = try await commit([CommitItem(mutations: mutations, audit: nil)])
        if case .refused(let error) = outcomes.first { throw error }
    }

    public func insertKey(_ key: KeyRecord, material: KeyMaterialRecord?, tags: [Tag]) async throws {
        try await apply([.insertKey(key, material: material, tags: tags)])
    }

    public func updateKey(_ key: KeyRecord) async throws { try await apply([.updateKey(key)]) }
    public func insertAlias(_ alias: AliasRecord) async throws { try await apply([.insertAlias(alias)]) }
    public func updateAlias(_ alias: AliasRecord) async throws { try await apply([.updateAlias(alias)]) }

    /// Returns whether an alias was deleted.
    public func deleteAlias(accountId: String, region: String, name: String) async throws -> Bool {
        do {
            try await apply([.deleteAlias(accountId: accountId, region: region, name: name)])
            return true
        } catch RepositoryError.notFound {
            return false
        }
    }

    public func putTags(_ reference: KeyReference, _ tags: [Tag]) async throws { try await apply([.putTags(reference, tags)]) }
    public func removeTags(_ reference: KeyReference, keys: [String]) async throws {
        try await apply([.removeTags(reference, keys: keys)])
    }
    public func insertCredential(_ credential: CredentialRecord) async throws { try await apply([.insertCredential(credential)]) }
}
