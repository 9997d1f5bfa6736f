import Foundation
import KMSModel

/// The store behind Trent. Each call is one atomic transaction, so an implementation over a
/// networked database (PostgreSQL) needs nothing more than an implementation over SQLite, and
/// core never holds a transaction open across an await.
///
/// Listing calls page by the natural key: they return rows strictly after `after`, in order,
/// at most `limit` of them.
public protocol KeyRepository: Sendable {
    // Keys and their material.
    func insertKey(_ key: KeyRecord, material: KeyMaterialRecord, tags: [Tag]) async throws
    func key(_ reference: KeyReference) async throws -> KeyRecord?
    /// Replaces a key's record; throws ``RepositoryError/notFound`` if it is gone.
    func updateKey(_ key: KeyRecord) async throws
    func listKeys(accountId: String, region: String, after: String?, limit: Int) async throws -> [KeyRecord]
    func material(_ reference: KeyReference, version: Int) async throws -> KeyMaterialRecord?

    // Aliases.
    /// Throws ``RepositoryError/alreadyExists`` if the name is taken in that account and Region.
    func insertAlias(_ alias: AliasRecord) async throws
    func alias(accountId: String, region: String, name: String) async throws -> AliasRecord?
    /// Throws ``RepositoryError/notFound`` if the alias is gone.
    func updateAlias(_ alias: AliasRecord) async throws
    /// Returns whether an alias was deleted.
    func deleteAlias(accountId: String, region: String, name: String) async throws -> Bool
    func listAliases(accountId: String, region: String, targetKeyId: String?, after: String?, limit: Int) async throws -> [AliasRecord]

    // Tags, ordered by tag key.
    func tags(_ reference: KeyReference) async throws -> [Tag]
    /// Adds or overwrites the given tags.
    func putTags(_ reference: KeyReference, _ tags: [Tag]) async throws
    func removeTags(_ reference: KeyReference, keys: [String]) async throws

    // Credentials.
    func insertCredential(_ credential: CredentialRecord) async throws
    func credential(accessKeyId: String) async throws -> CredentialRecord?
    func credentialCount() async throws -> Int
}

public enum RepositoryError: Error, Equatable, Sendable {
    case notFound
    case alreadyExists
    /// A stored value no longer parses (an enum written by a newer version, say).
    case corrupt(String)
}
