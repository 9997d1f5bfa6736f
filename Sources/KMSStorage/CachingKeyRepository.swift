import Foundation
import KMSModel
import Synchronization

/// Keeps key records, aliases and keys' grants in memory in front of a repository that this
/// process alone writes (the embedded SQLite store): every request reads its key, many name it
/// by an alias, those allowed by a grant read the key's grants, and a read from SQLite costs a
/// hop to a reader thread and back (an Encrypt by alias cost twice one by key id before aliases
/// were kept here, and one allowed by a grant nearly three times).
///
/// Writes go through ``commit(_:)``, which updates the cache with what it committed, so a
/// disabled or rescheduled key is seen at once. A read that started before a commit is not
/// allowed to store what it read: each load records the cache's generation and stores its
/// result only if no commit happened meanwhile. A store shared by several processes
/// (PostgreSQL) must not be wrapped in this cache.
public final class CachingKeyRepository: KeyRepository {
    private struct State {
        var keys: [KeyReference: KeyRecord] = [:]
        /// Aliases found in the store, by account, Region and name; names not found are not kept.
        var aliases: [AliasName: AliasRecord] = [:]
        /// Each key's grants, an empty list included (most keys have none).
        var grants: [KeyReference: [GrantRecord]] = [:]
        var generation: UInt64 = 0
    }

    private struct AliasName: Hashable {
        var accountId: String
        var region: String
        var name: String
    }

    let base: any KeyRepository
    private let state = Mutex(State())
    /// Past this many keys the cache starts over, so a million-key store cannot grow it without bound.
    private let capacity: Int

    public init(_ base: any KeyRepository, capacity: Int = 100_000) {
        self.base = base
        self.capacity = capacity
    }

    public func key(_ reference: KeyReference) async throws -> KeyRecord? {
        try await readThrough(\.keys, reference) { try await base.key(reference) }
    }

    public func alias(accountId: String, region: String, name: String) async throws -> AliasRecord? {
        try await readThrough(\.aliases, AliasName(accountId: accountId, region: region, name: name)) {
            try await base.alias(accountId: accountId, region: region, name: name)
        }
    }

    public func grants(of reference: KeyReference) async throws -> [GrantRecord] {
        try await readThrough(\.grants, reference) { try await base.grants(of: reference) } ?? []
    }

    /// The cached entry, or what the store gives, kept unless a commit happened while it was
    /// being read (the commit may have changed it after the read).
    private func readThrough<Name: Hashable & Sendable, Value: Sendable>(
        _ entries: WritableKeyPath<State, [Name: Value]> & Sendable, _ name: Name, load: () async throws -> Value?
    ) async throws -> Value? {
        let (cached, generation) = state.withLock { ($0[keyPath: entries][name], $0.generation) }
        if let cached { return cached }
        let loaded = try await load()
        if let loaded {
            state.withLock { state in
                guard state.generation == generation else { return }
                if state[keyPath: entries].count >= capacity { state[keyPath: entries].removeAll(keepingCapacity: true) }
                state[keyPath: entries][name] = loaded
            }
        }
        return loaded
    }

    public func commit(_ items: [CommitItem]) async throws -> [CommitOutcome] {
        let outcomes: [CommitOutcome]
        do {
            outcomes = try await base.commit(items)
        } catch {
            forgetEverything()
            throw error
        }
        remember(items, outcomes)
        return outcomes
    }

    public var synchronousCommit: (@Sendable ([CommitItem]) throws -> [CommitOutcome])? {
        guard let commit = base.synchronousCommit else { return nil }
        return { [self] items in
            let outcomes: [CommitOutcome]
            do {
                outcomes = try commit(items)
            } catch {
                forgetEverything()
                throw error
            }
            remember(items, outcomes)
            return outcomes
        }
    }

    /// After a failed commit nothing is known of what the store kept: start over.
    private func forgetEverything() {
        state.withLock { state in
            state.generation &+= 1
            state.keys.removeAll()
            state.aliases.removeAll()
            state.grants.removeAll()
        }
    }

    /// What committed items did to cached keys and aliases.
    private func remember(_ items: [CommitItem], _ outcomes: [CommitOutcome]) {
        state.withLock { state in
            state.generation &+= 1
            for (item, outcome) in zip(items, outcomes) {
                guard case .committed = outcome else { continue }
                for mutation in item.mutations {
                    // Exhaustive on purpose: a new kind of change must say what it does to keys.
                    switch mutation {
                    case .insertKey(let key, _, _), .insertReplica(let key, _, _): state.keys[key.reference] = key
                    // Changes every Region's copy: those cached for that key id are dropped.
                    case .setPrimaryRegion(let accountId, let keyId, _), .beginPrimaryDeletionWindow(let accountId, let keyId, _):
                        for reference in state.keys.keys where reference.accountId == accountId && reference.keyId == keyId {
                            state.keys[reference] = nil
                        }
                    case .rotateRelatedKeys(let primary, _, _, _, _):
                        for reference in state.keys.keys where reference.accountId == primary.accountId && reference.keyId == primary.keyId {
                            state.keys[reference] = nil
                        }
                    // The store writes only some of an updated record's fields (never its version or
                    // rotation schedule), so the cached copy is dropped and read again.
                    case .updateKey(let key): state.keys[key.reference] = nil
                    // The store deletes the key's aliases and grants with it.
                    case .deleteKey(let reference, _):
                        state.keys[reference] = nil
                        state.grants[reference] = nil
                        for (name, alias) in state.aliases
                        where name.accountId == reference.accountId && name.region == reference.region && alias.targetKeyId == reference.keyId {
                            state.aliases[name] = nil
                        }
                    // Dropped rather than stored: the cache keeps only what the store gave back.
                    case .insertAlias(let alias), .updateAlias(let alias):
                        state.aliases[AliasName(accountId: alias.accountId, region: alias.region, name: alias.aliasName)] = nil
                    case .deleteAlias(let accountId, let region, let name):
                        state.aliases[AliasName(accountId: accountId, region: region, name: name)] = nil
                    case .insertGrant(let grant): state.grants[grant.reference] = nil
                    case .deleteGrant(let reference, _): state.grants[reference] = nil
                    case .setRotation(let reference, _, _), .rotateKey(let reference, _, _, _, _),
                        .importKeyMaterial(let reference, _, _, _, _),
                        .deleteImportedKeyMaterial(let reference, _, _), .rotateToImportedMaterial(let reference, _, _),
                        .setKeyPolicy(let reference, _):
                        state.keys[reference] = nil
                    case .putTags, .removeTags, .insertCredential, .insertImportParameters, .deleteImportParameters:
                        continue
                    }
                }
            }
        }
    }

    // Everything else reads through.

    public func multiRegionKeys(accountId: String, keyId: String) async throws -> [KeyRecord] {
        try await base.multiRegionKeys(accountId: accountId, keyId: keyId)
    }

    public func listKeyIds(accountId: String, region: String, after: String?, limit: Int) async throws -> [String] {
        try await base.listKeyIds(accountId: accountId, region: region, after: after, limit: limit)
    }

    public func material(_ reference: KeyReference, version: Int) async throws -> KeyMaterialRecord? {
        try await base.material(reference, version: version)
    }

    public func materials(_ reference: KeyReference, afterVersion: Int, limit: Int) async throws -> [KeyMaterialRecord] {
        try await base.materials(reference, afterVersion: afterVersion, limit: limit)
    }

    public func importedMaterials(_ reference: KeyReference) async throws -> [ImportedMaterialRecord] {
        try await base.importedMaterials(reference)
    }

    public func scheduledWork(dueBy: Date?, limit: Int) async throws -> [ScheduledWork] {
        try await base.scheduledWork(dueBy: dueBy, limit: limit)
    }

    public func importParameters(tokenId: String) async throws -> ImportParametersRecord? {
        try await base.importParameters(tokenId: tokenId)
    }

    public func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) async throws -> [AliasRecord] {
        try await base.listAliases(accountId: accountId, region: region, targetKeyId: targetKeyId, after: after, limit: limit)
    }

    public func tags(_ reference: KeyReference) async throws -> [Tag] { try await base.tags(reference) }

    public func grants(of reference: KeyReference, matching filter: GrantFilter, after: String?, limit: Int) async throws -> [GrantRecord] {
        try await base.grants(of: reference, matching: filter, after: after, limit: limit)
    }


    public func retirableGrants(retiringPrincipal: String, region: String, after: String?, limit: Int) async throws -> [GrantRecord] {
        try await base.retirableGrants(retiringPrincipal: retiringPrincipal, region: region, after: after, limit: limit)
    }

    public func grant(id: String) async throws -> GrantRecord? { try await base.grant(id: id) }
    public func credential(accessKeyId: String) async throws -> CredentialRecord? { try await base.credential(accessKeyId: accessKeyId) }
    public func credentialCount() async throws -> Int { try await base.credentialCount() }

    public func auditRecords(after: Int64, limit: Int) async throws -> [StoredAuditRecord] {
        try await base.auditRecords(after: after, limit: limit)
    }

    public func latestAuditRecords(matching filter: AuditFilter, limit: Int) async throws -> [StoredAuditRecord] {
        try await base.latestAuditRecords(matching: filter, limit: limit)
    }

    public func oldestAuditRecord() async throws -> StoredAuditRecord? { try await base.oldestAuditRecord() }
    public func newestAuditRecord() async throws -> StoredAuditRecord? { try await base.newestAuditRecord() }
    public func auditDigests() async throws -> [AuditDigestRecord] { try await base.auditDigests() }

    public func insertAuditDigest(_ digest: AuditDigestRecord) async throws -> Int64 {
        try await base.insertAuditDigest(digest)
    }

    public func auditSigningKey() async throws -> AuditSigningKeyRecord? { try await base.auditSigningKey() }

    public func installAuditSigningKey(_ key: AuditSigningKeyRecord) async throws -> AuditSigningKeyRecord {
        try await base.installAuditSigningKey(key)
    }

    public func trimAudit(through sequence: Int64) async throws { try await base.trimAudit(through: sequence) }
}
