import KMSStorage
import Synchronization

/// Unwrapped, parsed material by key version. A version's material never changes once written,
/// so an entry cannot go stale; it can only be destroyed (the key deleted, imported material
/// deleted or expired). Destruction is forgotten here after it commits, and a load that started
/// before a destruction is not allowed to store what it read (generation check), so destroyed
/// material does not linger in memory.
final class MaterialCache: Sendable {
    private struct State {
        var entries: [MaterialCacheKey: CachedMaterial] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    func cached(_ key: MaterialCacheKey) -> CachedMaterial? {
        state.withLock { $0.entries[key] }
    }

    /// Whether any version of the key is held.
    func holds(_ reference: KeyReference) -> Bool {
        state.withLock { $0.entries.keys.contains { $0.reference == reference } }
    }

    /// The generation to hand back to ``store(_:for:loadedAt:)`` after a load.
    var generation: UInt64 { state.withLock { $0.generation } }

    func store(_ material: CachedMaterial, for key: MaterialCacheKey, loadedAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            state.entries[key] = material
        }
    }

    /// Drops every version of a key whose material was destroyed.
    func forget(_ reference: KeyReference) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { $0.key.reference != reference }
        }
    }

    /// Forgets the keys whose material a committed set of changes destroyed.
    func forgetDestroyed(by mutations: [Mutation]) {
        for mutation in mutations {
            // Exhaustive on purpose: a new kind of change must say whether it destroys material.
            switch mutation {
            case .deleteKey(let reference, _), .deleteImportedKeyMaterial(let reference, _, _): forget(reference)
            case .insertKey, .insertReplica, .setPrimaryRegion, .updateKey, .setRotation, .rotateKey, .rotateRelatedKeys,
                .beginPrimaryDeletionWindow, .rotateToImportedMaterial,
                .insertImportParameters, .deleteImportParameters, .importKeyMaterial, .insertAlias, .updateAlias,
                .deleteAlias, .putTags, .removeTags, .insertCredential, .setKeyPolicy, .insertGrant, .deleteGrant:
                continue
            }
        }
    }
}
