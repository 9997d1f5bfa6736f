import Foundation
import KMSModel

/// An in-memory repository for unit tests and throwaway servers. Same semantics as SQLite.
public actor MemoryKeyRepository: KeyRepository {
    private var keys: [KeyReference: KeyRecord] = [:]
    private var materials: [KeyReference: [Int: KeyMaterialRecord]] = [:]
    private var aliases: [String: AliasRecord] = [:]
    private var tagsByKey: [KeyReference: [String: String]] = [:]
    private var credentials: [String: CredentialRecord] = [:]

    public init() {}

    private func aliasKey(_ accountId: String, _ region: String, _ name: String) -> String {
        "\(accountId)/\(region)/\(name)"
    }

    public func insertKey(_ key: KeyRecord, material: KeyMaterialRecord, tags: [Tag]) throws {
        guard keys[key.reference] == nil else { throw RepositoryError.alreadyExists }
        keys[key.reference] = key
        materials[key.reference, default: [:]][material.version] = material
        for tag in tags { tagsByKey[key.reference, default: [:]][tag.tagKey] = tag.tagValue }
    }

    public func key(_ reference: KeyReference) -> KeyRecord? { keys[reference] }

    public func updateKey(_ key: KeyRecord) throws {
        guard keys[key.reference] != nil else { throw RepositoryError.notFound }
        keys[key.reference] = key
    }

    public func listKeys(accountId: String, region: String, after: String?, limit: Int) -> [KeyRecord] {
        keys.values
            .filter { $0.reference.accountId == accountId && $0.reference.region == region }
            .filter { after == nil || $0.reference.keyId > after! }
            .sorted { $0.reference.keyId < $1.reference.keyId }
            .prefix(limit).map { $0 }
    }

    public func material(_ reference: KeyReference, version: Int) -> KeyMaterialRecord? {
        materials[reference]?[version]
    }

    public func insertAlias(_ alias: AliasRecord) throws {
        let key = aliasKey(alias.accountId, alias.region, alias.aliasName)
        guard aliases[key] == nil else { throw RepositoryError.alreadyExists }
        aliases[key] = alias
    }

    public func alias(accountId: String, region: String, name: String) -> AliasRecord? {
        aliases[aliasKey(accountId, region, name)]
    }

    public func updateAlias(_ alias: AliasRecord) throws {
        let key = aliasKey(alias.accountId, alias.region, alias.aliasName)
        guard aliases[key] != nil else { throw RepositoryError.notFound }
        aliases[key] = alias
    }

    public func deleteAlias(accountId: String, region: String, name: String) -> Bool {
        aliases.removeValue(forKey: aliasKey(accountId, region, name)) != nil
    }

    public func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) -> [AliasRecord] {
        aliases.values
            .filter { $0.accountId == accountId && $0.region == region }
            .filter { targetKeyId == nil || $0.targetKeyId == targetKeyId }
            .filter { after == nil || $0.aliasName > after! }
            .sorted { $0.aliasName < $1.aliasName }
            .prefix(limit).map { $0 }
    }

    public func tags(_ reference: KeyReference) -> [Tag] {
        (tagsByKey[reference] ?? [:]).sorted { $0.key < $1.key }.map { Tag(tagKey: $0.key, tagValue: $0.value) }
    }

    public func putTags(_ reference: KeyReference, _ tags: [Tag]) {
        for tag in tags { tagsByKey[reference, default: [:]][tag.tagKey] = tag.tagValue }
    }

    public func removeTags(_ reference: KeyReference, keys: [String]) {
        for key in keys { tagsByKey[reference]?.removeValue(forKey: key) }
    }

    public func insertCredential(_ credential: CredentialRecord) throws {
        guard credentials[credential.accessKeyId] == nil else { throw RepositoryError.alreadyExists }
        credentials[credential.accessKeyId] = credential
    }

    public func credential(accessKeyId: String) -> CredentialRecord? { credentials[accessKeyId] }

    public func credentialCount() -> Int { credentials.count }
}
