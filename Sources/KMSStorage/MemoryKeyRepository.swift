import Foundation
import KMSCrypto
import KMSModel
import Synchronization

/// An in-memory repository for unit tests and throwaway servers. Same semantics as SQLite.
public actor MemoryKeyRepository: KeyRepository {
    struct State {
        var keys: [KeyReference: KeyRecord] = [:]
        /// Material that is present, by version.
        var materials: [KeyReference: [Int: KeyMaterialRecord]] = [:]
        /// EXTERNAL keys: every material ever associated, present or not, by version.
        var imported: [KeyReference: [Int: ImportedMaterialRecord]] = [:]
        var aliases: [String: AliasRecord] = [:]
        var tagsByKey: [KeyReference: [String: String]] = [:]
        var credentials: [String: CredentialRecord] = [:]
        var importParameters: [String: ImportParametersRecord] = [:]
        var grants: [String: GrantRecord] = [:]
        var audit: [StoredAuditRecord] = []
        var digests: [AuditDigestRecord] = []
        var signingKey: AuditSigningKeyRecord?
        /// Accounts, users, roles and inline policies (see `MemoryKeyRepository+Principals`).
        var principals = MemoryPrincipals()
    }

    var state = State()
    /// Counts principal changes: the in-process change stamp.
    let principalChanges = Mutex<UInt64>(0)

    public init() {}

    private static func aliasKey(_ accountId: String, _ region: String, _ name: String) -> String {
        "\(accountId)/\(region)/\(name)"
    }

    public func commit(_ items: [CommitItem]) -> [CommitOutcome] {
        items.map { item in
            // Work on a copy, as a savepoint would: a refused item leaves no trace.
            var draft = state
            do {
                for mutation in item.mutations { try Self.apply(mutation, to: &draft) }
            } catch let error as RepositoryError {
                return .refused(error)
            } catch {
                return .refused(.corrupt("\(error)"))
            }
            var sequence: Int64?
            if let entry = item.audit { sequence = Self.appendAuditRecord(entry, to: &draft) }
            state = draft
            return .committed(sequence: sequence)
        }
    }

    /// Appends one record to the hash chain; returns its sequence number.
    static func appendAuditRecord(_ entry: AuditEntry, to s: inout State) -> Int64 {
        let previous = s.audit.last
        let next = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? AuditChainHash.genesis
        s.audit.append(
            StoredAuditRecord(
                sequence: next, entry: entry, previousHash: previousHash,
                hash: AuditChainHash.link(previous: previousHash, sequence: next, record: entry.record)))
        return next
    }

    private static func apply(_ mutation: Mutation, to s: inout State) throws {
        switch mutation {
        case .insertKey(let key, let material, let tags):
            guard s.keys[key.reference] == nil else { throw RepositoryError.alreadyExists }
            s.keys[key.reference] = key
            if let material { s.materials[key.reference, default: [:]][material.version] = material }
            for tag in tags { s.tagsByKey[key.reference, default: [:]][tag.tagKey] = tag.tagValue }
        case .insertReplica(let key, let materials, let tags):
            guard s.keys[key.reference] == nil else { throw RepositoryError.alreadyExists }
            var primaryReference = key.reference
            primaryReference.region = key.primaryRegion ?? ""
            guard let primary = s.keys[primaryReference], primary.primaryRegion == primaryReference.region,
                primary.keyState == .enabled || primary.keyState == .disabled, primary.currentVersion == key.currentVersion
            else { throw RepositoryError.conflict }
            s.keys[key.reference] = key
            for material in materials { s.materials[key.reference, default: [:]][material.version] = material }
            for tag in tags { s.tagsByKey[key.reference, default: [:]][tag.tagKey] = tag.tagValue }
        case .setPrimaryRegion(let accountId, let keyId, let primaryRegion):
            let related = s.keys.values.filter {
                $0.reference.accountId == accountId && $0.reference.keyId == keyId && $0.primaryRegion != nil
            }
            guard let target = related.first(where: { $0.reference.region == primaryRegion }) else { throw RepositoryError.notFound }
            guard let former = related.first(where: { $0.reference.region == $0.primaryRegion }),
                former.keyState == .enabled, target.keyState == .enabled
            else { throw RepositoryError.conflict }
            for key in related { s.keys[key.reference]!.primaryRegion = primaryRegion }
            if former.reference != target.reference {
                s.keys[target.reference]!.rotationPeriodInDays = former.rotationPeriodInDays
                s.keys[target.reference]!.nextRotationDate = former.nextRotationDate
                s.keys[target.reference]!.onDemandRotations = former.onDemandRotations
                s.keys[former.reference]!.rotationPeriodInDays = nil
                s.keys[former.reference]!.nextRotationDate = nil
                s.keys[former.reference]!.onDemandRotations = 0
            }
        case .updateKey(let key):
            guard let stored = s.keys[key.reference] else { throw RepositoryError.notFound }
            var updated = key
            updated.currentVersion = stored.currentVersion
            updated.rotationPeriodInDays = stored.rotationPeriodInDays
            updated.nextRotationDate = stored.nextRotationDate
            updated.onDemandRotations = stored.onDemandRotations
            updated.validTo = stored.validTo
            updated.expirationModel = stored.expirationModel
            updated.importedMaterialId = stored.importedMaterialId
            updated.primaryRegion = stored.primaryRegion
            updated.policy = stored.policy
            s.keys[key.reference] = updated
        case .setRotation(let reference, let period, let next):
            guard s.keys[reference] != nil else { throw RepositoryError.notFound }
            s.keys[reference]!.rotationPeriodInDays = period
            s.keys[reference]!.nextRotationDate = next
        case .rotateKey(let reference, let material, let expected, let next, let onDemand):
            guard var key = s.keys[reference] else { throw RepositoryError.notFound }
            guard key.currentVersion == material.version - 1, s.materials[reference]?[material.version] == nil,
                expected == nil || key.nextRotationDate == expected
            else { throw RepositoryError.conflict }
            s.materials[reference, default: [:]][material.version] = material
            key.currentVersion = material.version
            if let next { key.nextRotationDate = next }
            if onDemand { key.onDemandRotations += 1 }
            s.keys[reference] = key
        case .rotateRelatedKeys(let primaryReference, let materials, let expected, let next, let onDemand):
            guard var primary = s.keys[primaryReference] else { throw RepositoryError.notFound }
            let related = s.keys.values.filter {
                $0.reference.accountId == primaryReference.accountId && $0.reference.keyId == primaryReference.keyId
                    && $0.primaryRegion != nil
            }
            guard let version = materials.first?.version, primary.primaryRegion == primaryReference.region,
                Set(related.map(\.reference)) == Set(materials.map(\.reference)), materials.count == related.count,
                materials.allSatisfy({ $0.version == version && s.materials[$0.reference]?[version] == nil }),
                related.allSatisfy({ $0.currentVersion == version - 1 }),
                expected == nil || primary.nextRotationDate == expected
            else { throw RepositoryError.conflict }
            for material in materials {
                s.materials[material.reference, default: [:]][version] = material
                s.keys[material.reference]!.currentVersion = version
            }
            primary = s.keys[primaryReference]!
            if let next { primary.nextRotationDate = next }
            if onDemand { primary.onDemandRotations += 1 }
            s.keys[primaryReference] = primary
        case .deleteKey(let reference, let deletionDate):
            guard let key = s.keys[reference] else { throw RepositoryError.notFound }
            guard key.keyState == .pendingDeletion, key.deletionDate == deletionDate else { throw RepositoryError.conflict }
            if key.primaryRegion == reference.region,
                s.keys.values.contains(where: {
                    $0.reference.accountId == reference.accountId && $0.reference.keyId == reference.keyId
                        && $0.reference.region != reference.region && $0.primaryRegion != nil
                })
            {
                throw RepositoryError.conflict
            }
            s.keys[reference] = nil
            s.materials[reference] = nil
            s.imported[reference] = nil
            s.tagsByKey[reference] = nil
            s.importParameters = s.importParameters.filter { $0.value.reference != reference }
            s.grants = s.grants.filter { $0.value.reference != reference }
            s.aliases = s.aliases.filter {
                !($0.value.accountId == reference.accountId && $0.value.region == reference.region
                    && $0.value.targetKeyId == reference.keyId)
            }
        case .beginPrimaryDeletionWindow(let accountId, let keyId, let start):
            let related = s.keys.values.filter {
                $0.reference.accountId == accountId && $0.reference.keyId == keyId && $0.primaryRegion != nil
            }
            guard related.count == 1, var primary = related.first, primary.primaryRegion == primary.reference.region,
                primary.keyState == .pendingReplicaDeletion, let days = primary.pendingWindowInDays
            else { break }
            primary.keyState = .pendingDeletion
            primary.deletionDate = start.addingTimeInterval(TimeInterval(days) * 86400)
            s.keys[primary.reference] = primary
        case .insertImportParameters(let parameters):
            guard s.keys[parameters.reference] != nil else { throw RepositoryError.notFound }
            guard s.importParameters[parameters.tokenId] == nil else { throw RepositoryError.alreadyExists }
            s.importParameters[parameters.tokenId] = parameters
        case .deleteImportParameters(let expiredBefore):
            s.importParameters = s.importParameters.filter { $0.value.validTo >= expiredBefore }
        case .importKeyMaterial(let reference, let material, let model, let validTo, let description):
            guard var key = s.keys[reference] else { throw RepositoryError.notFound }
            guard key.keyState != .pendingDeletion else { throw RepositoryError.conflict }
            var rows = s.imported[reference] ?? [:]
            var row: ImportedMaterialRecord
            if let existing = rows[material.version] {
                guard existing.materialId == material.materialId else { throw RepositoryError.conflict }
                row = existing
            } else {
                let isFirst = material.version == 1 && rows.isEmpty
                let isPendingRotation =
                    material.version == key.currentVersion + 1 && !rows.keys.contains { $0 > key.currentVersion }
                    && !rows.values.contains { $0.materialId == material.materialId }
                guard isFirst || isPendingRotation else { throw RepositoryError.conflict }
                row = ImportedMaterialRecord(
                    reference: reference, version: material.version, materialId: material.materialId, state: .pendingImport,
                    description: nil, createdAt: material.createdAt, rotationType: nil)
            }
            row.state = .imported(model, validTo: validTo)
            if let description { row.description = description }
            rows[material.version] = row
            s.imported[reference] = rows
            var stored = material
            stored.createdAt = row.createdAt
            stored.rotationType = row.rotationType
            s.materials[reference, default: [:]][material.version] = stored
            if key.importedMaterialId == nil { key.importedMaterialId = material.materialId }
            ImportedMaterialSummary(Array(rows.values), currentVersion: key.currentVersion).apply(to: &key)
            s.keys[reference] = key
        case .deleteImportedKeyMaterial(let reference, let materialId, let expected):
            guard var key = s.keys[reference] else { throw RepositoryError.notFound }
            guard var rows = s.imported[reference], let row = rows.values.first(where: { $0.materialId == materialId }) else {
                throw RepositoryError.notFound
            }
            if let expected {
                guard case .imported(_, let validTo) = row.state, validTo == expected else { throw RepositoryError.conflict }
            }
            if row.version > key.currentVersion {
                rows[row.version] = nil
            } else {
                rows[row.version]!.state = .pendingImport
            }
            s.imported[reference] = rows
            s.materials[reference]?[row.version] = nil
            ImportedMaterialSummary(Array(rows.values), currentVersion: key.currentVersion).apply(to: &key)
            s.keys[reference] = key
        case .rotateToImportedMaterial(let reference, let version, let rotatedAt):
            guard var key = s.keys[reference] else { throw RepositoryError.notFound }
            guard key.currentVersion == version - 1, var row = s.imported[reference]?[version], row.isImported else {
                throw RepositoryError.conflict
            }
            row.rotationType = .onDemand
            row.createdAt = rotatedAt
            s.imported[reference]![version] = row
            s.materials[reference]?[version]?.rotationType = .onDemand
            s.materials[reference]?[version]?.createdAt = rotatedAt
            key.currentVersion = version
            key.onDemandRotations += 1
            ImportedMaterialSummary(Array(s.imported[reference]!.values), currentVersion: version).apply(to: &key)
            s.keys[reference] = key
        case .insertAlias(let alias):
            let key = aliasKey(alias.accountId, alias.region, alias.aliasName)
            guard s.aliases[key] == nil else { throw RepositoryError.alreadyExists }
            s.aliases[key] = alias
        case .updateAlias(let alias):
            let key = aliasKey(alias.accountId, alias.region, alias.aliasName)
            guard s.aliases[key] != nil else { throw RepositoryError.notFound }
            s.aliases[key] = alias
        case .deleteAlias(let accountId, let region, let name):
            guard s.aliases.removeValue(forKey: aliasKey(accountId, region, name)) != nil else {
                throw RepositoryError.notFound
            }
        case .putTags(let reference, let tags):
            for tag in tags { s.tagsByKey[reference, default: [:]][tag.tagKey] = tag.tagValue }
        case .removeTags(let reference, let keys):
            for key in keys { s.tagsByKey[reference]?.removeValue(forKey: key) }
        case .insertCredential(let credential):
            guard s.credentials[credential.accessKeyId] == nil else { throw RepositoryError.alreadyExists }
            s.credentials[credential.accessKeyId] = credential
        case .setKeyPolicy(let reference, let policy):
            guard s.keys[reference] != nil else { throw RepositoryError.notFound }
            s.keys[reference]!.policy = policy
        case .insertGrant(let grant):
            guard s.keys[grant.reference] != nil else { throw RepositoryError.notFound }
            guard s.grants[grant.grantId] == nil else { throw RepositoryError.alreadyExists }
            s.grants[grant.grantId] = grant
        case .deleteGrant(let reference, let grantId):
            guard s.grants[grantId]?.reference == reference else { throw RepositoryError.notFound }
            s.grants[grantId] = nil
        }
    }

    public func key(_ reference: KeyReference) -> KeyRecord? { state.keys[reference] }

    public func multiRegionKeys(accountId: String, keyId: String) -> [KeyRecord] {
        state.keys.values
            .filter { $0.reference.accountId == accountId && $0.reference.keyId == keyId && $0.primaryRegion != nil }
            .sorted { $0.reference.region < $1.reference.region }
    }

    public func listKeyIds(accountId: String, region: String, after: String?, limit: Int) -> [String] {
        state.keys.values
            .filter { $0.reference.accountId == accountId && $0.reference.region == region }
            .map(\.reference.keyId)
            .filter { after == nil || $0 > after! }
            .sorted()
            .prefix(limit).map { $0 }
    }

    public func material(_ reference: KeyReference, version: Int) -> KeyMaterialRecord? {
        state.materials[reference]?[version]
    }

    public func materials(_ reference: KeyReference, afterVersion: Int, limit: Int) -> [KeyMaterialRecord] {
        (state.materials[reference] ?? [:]).values.filter { $0.version > afterVersion }
            .sorted { $0.version < $1.version }.prefix(limit).map { $0 }
    }

    public func importedMaterials(_ reference: KeyReference) -> [ImportedMaterialRecord] {
        (state.imported[reference] ?? [:]).values.sorted { $0.version < $1.version }
    }

    public func scheduledWork(dueBy: Date?, limit: Int) -> [ScheduledWork] {
        var work: [ScheduledWork] = []
        for key in state.keys.values {
            if key.keyState == .enabled, let date = key.nextRotationDate, dueBy == nil || date <= dueBy! {
                work.append(ScheduledWork(kind: .rotation, key: key, date: date))
            }
            if key.keyState == .pendingDeletion, let date = key.deletionDate, dueBy == nil || date <= dueBy! {
                work.append(ScheduledWork(kind: .deletion, key: key, date: date))
            }
            for material in (state.imported[key.reference] ?? [:]).values {
                if case .imported(_, let date?) = material.state, dueBy == nil || date <= dueBy! {
                    work.append(ScheduledWork(kind: .materialExpiry, key: key, date: date, materialId: material.materialId))
                }
            }
        }
        return work.sorted { ($0.date, $0.key.reference.arn, $0.materialId ?? "") < ($1.date, $1.key.reference.arn, $1.materialId ?? "") }
            .prefix(limit).map { $0 }
    }

    public func importParameters(tokenId: String) -> ImportParametersRecord? { state.importParameters[tokenId] }

    public func alias(accountId: String, region: String, name: String) -> AliasRecord? {
        state.aliases[Self.aliasKey(accountId, region, name)]
    }

    public func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) -> [AliasRecord] {
        state.aliases.values
            .filter { $0.accountId == accountId && $0.region == region }
            .filter { targetKeyId == nil || $0.targetKeyId == targetKeyId }
            .filter { after == nil || $0.aliasName > after! }
            .sorted { $0.aliasName < $1.aliasName }
            .prefix(limit).map { $0 }
    }

    public func tags(_ reference: KeyReference) -> [Tag] {
        (state.tagsByKey[reference] ?? [:]).sorted { $0.key < $1.key }.map { Tag(tagKey: $0.key, tagValue: $0.value) }
    }

    public func grants(of reference: KeyReference, matching filter: GrantFilter, after: String?, limit: Int) -> [GrantRecord] {
        state.grants.values
            .filter { $0.reference == reference && filter.matches($0) && (after == nil || $0.grantId > after!) }
            .sorted { $0.grantId < $1.grantId }
            .prefix(limit).map { $0 }
    }

    public func grants(of reference: KeyReference) -> [GrantRecord] {
        state.grants.values.filter { $0.reference == reference }.sorted { $0.grantId < $1.grantId }
    }

    public func retirableGrants(retiringPrincipal: String, region: String, after: String?, limit: Int) -> [GrantRecord] {
        state.grants.values
            .filter { $0.retiringPrincipal == retiringPrincipal && $0.reference.region == region }
            .filter { after == nil || $0.grantId > after! }
            .sorted { $0.grantId < $1.grantId }
            .prefix(limit).map { $0 }
    }

    public func grant(id: String) -> GrantRecord? { state.grants[id] }

    public func credential(accessKeyId: String) -> CredentialRecord? { state.credentials[accessKeyId] }

    public func credentialCount() -> Int { state.credentials.count }

    // MARK: Audit

    public func auditRecords(after: Int64, limit: Int) -> [StoredAuditRecord] {
        Array(state.audit.filter { $0.sequence > after }.prefix(limit))
    }

    public func latestAuditRecords(matching filter: AuditFilter, limit: Int) -> [StoredAuditRecord] {
        Array(state.audit.reversed().filter { filter.matches($0.entry) }.prefix(limit))
    }

    public func oldestAuditRecord() -> StoredAuditRecord? { state.audit.first }
    public func newestAuditRecord() -> StoredAuditRecord? { state.audit.last }

    public func auditDigests() -> [AuditDigestRecord] { state.digests }

    public func insertAuditDigest(_ digest: AuditDigestRecord) -> Int64 {
        var stored = digest
        stored.id = (state.digests.last?.id ?? 0) + 1
        state.digests.append(stored)
        return stored.id
    }

    public func auditSigningKey() -> AuditSigningKeyRecord? { state.signingKey }

    public func installAuditSigningKey(_ key: AuditSigningKeyRecord) -> AuditSigningKeyRecord {
        if let existing = state.signingKey { return existing }
        state.signingKey = key
        return key
    }

    public func trimAudit(through sequence: Int64) {
        state.audit.removeAll { $0.sequence <= sequence }
        state.digests.removeAll { $0.lastSequence < sequence }
    }
}
