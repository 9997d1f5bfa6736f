import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

/// Which identifier forms an operation takes for its key.
enum IdentifierForms {
    /// Key id, key ARN, alias name or alias ARN (DescribeKey, Encrypt, GenerateDataKey, …).
    case keyOrAlias
    /// Key id or key ARN only (EnableKey, ScheduleKeyDeletion, TagResource, CreateAlias's target, …).
    case keyOnly
}

extension KeyManagementService {
    /// Finds the key a request names, in the caller's Region, and authorizes `action` on it
    /// (key policy, identity policies, grants). A key of another account is reachable only by
    /// ARN, and only where its key policy allows it.
    func resolveKey(_ text: String, _ forms: IdentifierForms, context: OperationContext, action: String) async throws -> KeyRecord {
        guard let identifier = KeyIdentifier(text), forms == .keyOrAlias || !identifier.isAlias else {
            throw KMSError.invalidKeyId(text)
        }
        let reference: KeyReference
        switch identifier {
        case .keyId(let id):
            reference = KeyReference(accountId: context.caller.accountId, region: context.caller.region, keyId: id)
        case .keyArn(let region, let account, let id):
            reference = KeyReference(accountId: account, region: region, keyId: id)
        case .aliasName(let name):
            reference = try await aliasTarget(accountId: context.caller.accountId, region: context.caller.region, name: name)
        case .aliasArn(let region, let account, let name):
            reference = try await aliasTarget(accountId: account, region: region, name: name)
        }
        guard reference.region == context.caller.region else {
            throw KMSError.invalidArnRegion(reference.region)
        }
        guard let key = try await boundary({ try await repository.key(reference) }) else {
            throw KMSError.keyNotFound(reference.arn)
        }
        context.touched(reference)
        switch identifier {
        case .aliasName(let name), .aliasArn(_, _, let name): context.requestAlias = name
        case .keyId, .keyArn: break
        }
        try await authorize(key, action: action, context: context)
        return key
    }

    private func aliasTarget(accountId: String, region: String, name: String) async throws -> KeyReference {
        guard let alias = try await boundary({ try await repository.alias(accountId: accountId, region: region, name: name)
        }) else {
            throw KMSError.aliasNotFound("arn:aws:kms:\(region):\(accountId):\(name)")
        }
        return KeyReference(accountId: accountId, region: region, keyId: alias.targetKeyId)
    }

    /// The shared "is this key usable for a cryptographic operation" step: maps key states to
    /// AWS's exceptions, then checks the key's usage.
    func requireUsable(_ key: KeyRecord, for usage: KeyUsage, operation: String) throws {
        switch key.keyState {
        case .enabled: break
        case .disabled: throw KMSError.disabled(key.reference.arn)
        default: throw KMSError.invalidState(key.reference.arn, key.keyState)
        }
        guard key.keyUsage == usage else {
            throw KMSError.invalidKeyUsage(key.reference.arn, usage: key.keyUsage, operation: operation)
        }
    }

    /// The unwrapped, parsed material of one key version, from the cache or the store. Imported
    /// material pending rotation (a version above the current one) is not the key's yet.
    func keyMaterial(_ key: KeyRecord, version: Int) async throws -> CachedMaterial? {
        guard version <= key.currentVersion else { return nil }
        let cacheKey = MaterialCacheKey(reference: key.reference, version: version)
        if let cached = materialCache.cached(cacheKey) { return cached }
        let generation = materialCache.generation
        guard let record = try await boundary({ try await repository.material(key.reference, version: version) }) else {
            return nil
        }
        let bytes = try await boundary {
            try rootKey.unwrap(
                record.wrappedMaterial,
                for: .keyMaterial(
                    account: key.reference.accountId, region: key.reference.region, keyId: key.reference.keyId,
                    version: version))
        }
        let material = try await boundary { try KeyMaterial(spec: key.keySpec, stored: bytes) }
        let cached = CachedMaterial(material: material, materialId: record.materialId)
        materialCache.store(cached, for: cacheKey, loadedAt: generation)
        return cached
    }

    /// KeyMetadata as AWS reports it for a stored key.
    func metadata(_ key: KeyRecord) async throws -> KeyMetadata {
        var metadata = try await singleRegionMetadata(key)
        if key.primaryRegion != nil {
            let related = try await boundary {
                try await repository.multiRegionKeys(accountId: key.reference.accountId, keyId: key.reference.keyId)
            }
            metadata.multiRegionConfiguration = multiRegionConfiguration(key, related: related)
        }
        return metadata
    }

    /// MultiRegionConfiguration of `key`, given every Region's copy of it.
    func multiRegionConfiguration(_ key: KeyRecord, related: [KeyRecord]) -> MultiRegionConfiguration {
        let primaryRegion = key.primaryRegion ?? key.reference.region
        var primaryReference = key.reference
        primaryReference.region = primaryRegion
        let replicas = related.filter { $0.reference.region != primaryRegion }
            .map { MultiRegionKey(arn: $0.reference.arn, region: $0.reference.region) }
        return MultiRegionConfiguration(
            multiRegionKeyType: primaryRegion == key.reference.region ? "PRIMARY" : "REPLICA",
            primaryKey: MultiRegionKey(arn: primaryReference.arn, region: primaryRegion),
            replicaKeys: replicas)
    }

    private func singleRegionMetadata(_ key: KeyRecord) async throws -> KeyMetadata {
        guard key.keySpec == .symmetricDefault else { return metadata(key, currentMaterialId: nil) }
        let cacheKey = MaterialCacheKey(reference: key.reference, version: key.currentVersion)
        let currentMaterialId: String?
        if let cached = materialCache.cached(cacheKey) {
            currentMaterialId = cached.materialId
        } else {
            currentMaterialId = try await boundary({ try await repository.material(key.reference, version: key.currentVersion) })?.materialId
        }
        return metadata(key, currentMaterialId: currentMaterialId)
    }

    func metadata(_ key: KeyRecord, currentMaterialId: String?) -> KeyMetadata {
        var metadata = KeyMetadata(
            awsAccountId: key.reference.accountId, keyId: key.reference.keyId, arn: key.reference.arn,
            creationDate: key.creationDate, enabled: key.keyState == .enabled, description: key.description,
            keyUsage: key.keyUsage, keyState: key.keyState, deletionDate: key.deletionDate, origin: key.origin,
            keyManager: key.keyManager, customerMasterKeySpec: CustomerMasterKeySpec(rawValue: key.keySpec.rawValue),
            keySpec: key.keySpec,
            encryptionAlgorithms: key.keySpec.encryptionAlgorithms(for: key.keyUsage),
            signingAlgorithms: key.keySpec.signingAlgorithms(for: key.keyUsage),
            keyAgreementAlgorithms: key.keySpec.keyAgreementAlgorithms(for: key.keyUsage),
            macAlgorithms: key.keySpec.macAlgorithms(for: key.keyUsage),
            multiRegion: key.multiRegion, currentKeyMaterialId: currentMaterialId,
            validTo: key.validTo, expirationModel: key.expirationModel)
        if key.keyState == .pendingReplicaDeletion { metadata.pendingDeletionWindowInDays = key.pendingWindowInDays }
        return metadata
    }
}

extension KeyManagementService {
    /// The current version's material of a key whose spec says which kind it is. Missing
    /// current material is a broken store, never the caller's fault.
    func currentMaterial(_ key: KeyRecord) async throws -> CachedMaterial {
        guard let material = try await keyMaterial(key, version: key.currentVersion) else {
            logger.error("current key material missing", metadata: ["key": "\(key.reference.arn)"])
            throw KMSError.internalFailure
        }
        return material
    }

    /// The current private key of an asymmetric key.
    func privateKey(_ key: KeyRecord) async throws -> (AsymmetricPrivateKey, materialId: String) {
        let cached = try await currentMaterial(key)
        guard case .asymmetric(let privateKey) = cached.material else { throw KMSError.internalFailure }
        return (privateKey, cached.materialId)
    }
}
