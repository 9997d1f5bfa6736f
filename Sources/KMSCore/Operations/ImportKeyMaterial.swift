import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

/// Imported key material (BYOK) for keys of Origin EXTERNAL: symmetric encryption, HMAC, and
/// asymmetric (RSA, ECC, SM2) keys. A symmetric encryption key can take new material, which
/// RotateKeyOnDemand makes current; every other key takes one material for life.
/// [Importing key material](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html)
///
/// The import token is `0x01 | token id (32 bytes)`; the id names the stored parameters
/// (the wrapping private key, wrapped under the root key, its algorithm and its expiry), so a
/// token carries nothing secret and cannot be forged into naming another key's parameters.
extension KeyManagementService {
    /// How long an import token and its wrapping key are valid, as in AWS.
    static let importParametersLifetime: TimeInterval = 24 * 3600
    /// The latest ValidTo AWS accepts, from the request's time.
    static let maximumValidity: TimeInterval = 365 * 86400
    static let importTokenVersion: UInt8 = 0x01

    /// [GetParametersForImport](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html)
    public func getParametersForImport(_ request: GetParametersForImportRequest, context: OperationContext) async throws -> GetParametersForImportResponse {
        let key = try await importableKey(request.keyId, context: context, action: "GetParametersForImport")
        guard let algorithm = request.wrappingAlgorithm.value, let spec = request.wrappingKeySpec.value else {
            throw KMSError.internalFailure  // validation rejects unknown values first
        }
        do {
            try ImportWrappingKey.check(algorithm, with: spec, for: key.keySpec)
        } catch ImportWrappingKey.Failure.unsupported(let message) {
            throw KMSError(.validation, message)
        }
        let now = clock.now()
        let validTo = now.addingTimeInterval(Self.importParametersLifetime)
        let tokenId = randomBytes(32)
        let reference = key.reference
        let wrappingKey = try await boundary { try ImportWrappingKey.generate(spec) }
        let publicKey = try await boundary { try wrappingKey.publicKeyDER() }
        let wrapped = try await boundary {
            try rootKey.wrap(
                try wrappingKey.pkcs8DER(), for: .importWrappingKey(reference: reference, tokenId: tokenId.hexString))
        }
        context.change(
            .insertImportParameters(
                ImportParametersRecord(
                    tokenId: tokenId.hexString, reference: reference, wrappingAlgorithm: algorithm, wrappingKeySpec: spec,
                    wrappedPrivateKey: wrapped, createdAt: now, validTo: validTo)),
            ifRefused: KMSError.keyNotFound(reference.arn))
        return GetParametersForImportResponse(
            keyId: reference.arn, importToken: Data([Self.importTokenVersion]) + tokenId, publicKey: publicKey,
            parametersValidTo: validTo)
    }

    /// [ImportKeyMaterial](https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html)
    /// ImportType defaults to NEW_KEY_MATERIAL for a key that never had material and to
    /// EXISTING_KEY_MATERIAL after. EXISTING_KEY_MATERIAL re-imports material associated before
    /// (after DeleteImportedKeyMaterial or expiry, or to change its expiry); NEW_KEY_MATERIAL
    /// on a symmetric encryption key that has material imports material pending rotation, which
    /// RotateKeyOnDemand makes current. ImportType, KeyMaterialId and KeyMaterialDescription are
    /// for symmetric encryption keys only, as the API reference says.
    public func importKeyMaterial(_ request: ImportKeyMaterialRequest, context: OperationContext) async throws -> ImportKeyMaterialResponse {
        let key = try await importableKey(request.keyId, context: context, action: "ImportKeyMaterial")
        let now = clock.now()
        if key.keySpec != .symmetricDefault {
            for (member, given) in [
                ("ImportType", request.importType != nil), ("KeyMaterialId", request.keyMaterialId != nil),
                ("KeyMaterialDescription", request.keyMaterialDescription != nil),
            ] where given {
                throw KMSError(
                    .validation, "\(member) is supported only for symmetric encryption KMS keys; \(key.reference.arn) is \(key.keySpec.rawValue).")
            }
        }
        let (model, validTo) = try expiration(request, now: now)
        // A multi-Region key's first import into a replica brings the primary's material: AWS
        // copies none, and takes only the same material in every Region.
        let replicaFirstImport = key.isMultiRegionReplica && key.importedMaterialId == nil
        let importType = request.importType?.value ?? (key.importedMaterialId == nil ? .newKeyMaterial : .existingKeyMaterial)
        if importType == .newKeyMaterial, request.keyMaterialId != nil {
            throw KMSError(.validation, "You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.")
        }
        if importType == .newKeyMaterial, key.primaryRegion != nil, key.importedMaterialId != nil {
            throw KMSError.multiRegionImportedRotation(key.reference.arn)
        }
        if importType == .existingKeyMaterial, key.importedMaterialId == nil, !replicaFirstImport {
            throw KMSError(
                .incorrectKeyMaterial,
                "\(key.reference.arn) has no key material to import again; use ImportType NEW_KEY_MATERIAL.")
        }

        let parameters = try await importParameters(request.importToken, key: key, now: now)
        let privateKey = try await boundary {
            try ImportWrappingKey(
                pkcs8: try rootKey.unwrap(
                    parameters.wrappedPrivateKey,
                    for: .importWrappingKey(reference: key.reference, tokenId: parameters.tokenId)))
        }
        let material: Data
        do {
            material = try ImportedKeyMaterial.storedRepresentation(
                of: try privateKey.unwrap(request.encryptedKeyMaterial, algorithm: parameters.wrappingAlgorithm),
                for: key.keySpec)
        } catch let failure as ImportedKeyMaterial.Failure {
            throw KMSError(.incorrectKeyMaterial, Self.message(failure))
        } catch {
            throw KMSError.invalidCiphertext
        }
        let materialId = ImportedKeyMaterial.materialId(material, keyArn: key.reference.materialIdScope)
        if let named = request.keyMaterialId, named != materialId {
            throw KMSError(.incorrectKeyMaterial, "The key material does not match KeyMaterialId \(named).")
        }
        if replicaFirstImport {
            guard let primary = try await primaryKey(of: key), let expected = primary.importedMaterialId else {
                throw KMSError(
                    .incorrectKeyMaterial, "The primary key of \(key.reference.arn) has no key material; import it there first.")
            }
            guard expected == materialId else {
                throw KMSError(
                    .incorrectKeyMaterial,
                    "The key material is not the key material \(expected) of the primary key \(primary.reference.arn).")
            }
        }
        let associated = try await importedMaterials(key)
        let previous = associated.first { $0.materialId == materialId }
        let version: Int
        var refusal = KMSError.differentKeyMaterial(key.reference.arn)
        switch importType {
        case .existingKeyMaterial where replicaFirstImport:
            version = 1
        case .existingKeyMaterial:
            guard let previous else { throw KMSError.differentKeyMaterial(key.reference.arn) }
            version = previous.version
        case .newKeyMaterial:
            if previous != nil {
                throw KMSError(
                    .incorrectKeyMaterial, "This key material is already associated with \(key.reference.arn); use EXISTING_KEY_MATERIAL.")
            }
            if associated.isEmpty {
                version = 1
            } else {
                if let pending = associated.first(where: { $0.version > key.currentVersion }) {
                    throw KMSError.materialPendingRotation(key.reference.arn, pending.materialId)
                }
                version = key.currentVersion + 1
                refusal = KMSError(.conflict, "\(key.reference.arn) is already being given new key material.")
            }
        }

        let reference = key.reference
        let wrapped = try await boundary {
            try rootKey.wrap(
                material,
                for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: version))
        }
        let record = KeyMaterialRecord(reference: reference, version: version, materialId: materialId, wrappedMaterial: wrapped, createdAt: now)
        context.change(
            .importKeyMaterial(
                reference, material: record, expirationModel: model, validTo: validTo, description: request.keyMaterialDescription),
            ifRefused: refusal)
        context.keyMaterialId = materialId
        return ImportKeyMaterialResponse(keyId: reference.arn, keyMaterialId: materialId)
    }

    /// [DeleteImportedKeyMaterial](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html)
    /// Deletes the material KeyMaterialId names, or the current material. Deleting permanently
    /// associated material makes the key PendingImport (a key pending deletion stays so);
    /// material pending rotation is simply forgotten, and other material can take its place.
    public func deleteImportedKeyMaterial(_ request: DeleteImportedKeyMaterialRequest, context: OperationContext) async throws -> DeleteImportedKeyMaterialResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "DeleteImportedKeyMaterial")
        try requireExternal(key)
        let associated = try await importedMaterials(key)
        let target: ImportedMaterialRecord?
        if let named = request.keyMaterialId {
            guard let found = associated.first(where: { $0.materialId == named }) else {
                throw KMSError(.notFound, "Key material \(named) is not associated with \(key.reference.arn).")
            }
            target = found
        } else {
            target = associated.first { $0.version == key.currentVersion }
        }
        guard let target, target.isImported else {
            throw KMSError.invalidState(key.reference.arn, .pendingImport)
        }
        context.change(
            .deleteImportedKeyMaterial(key.reference, materialId: target.materialId, expectedValidTo: nil),
            ifRefused: KMSError.keyNotFound(key.reference.arn))
        context.keyMaterialId = target.materialId
        return DeleteImportedKeyMaterialResponse(keyId: key.reference.arn, keyMaterialId: target.materialId)
    }

    // MARK: Rotation of imported material

    /// RotateKeyOnDemand of an EXTERNAL key: the material imported with NEW_KEY_MATERIAL
    /// (PENDING_ROTATION) becomes current. Without such material there is nothing to rotate to.
    /// [Rotate keys with imported key material](https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html)
    func rotateToImportedMaterial(_ key: KeyRecord, context: OperationContext) async throws -> RotateKeyOnDemandResponse {
        let associated = try await importedMaterials(key)
        guard let pending = associated.first(where: { $0.version == key.currentVersion + 1 }), pending.isImported else {
            throw KMSError(
                .invalidState,
                "\(key.reference.arn) has no imported key material in PENDING_ROTATION state. "
                    + "Import new key material with ImportType NEW_KEY_MATERIAL before rotating.")
        }
        context.change(
            .rotateToImportedMaterial(key.reference, version: pending.version, rotatedAt: clock.now()),
            ifRefused: KMSError(.conflict, "\(key.reference.arn) is already being rotated."))
        context.keyMaterialId = pending.materialId
        return RotateKeyOnDemandResponse(keyId: key.reference.arn)
    }

    /// ListKeyRotations of an EXTERNAL key: every entry also says whether its material is in KMS
    /// (ImportState), its expiry and its description. ROTATIONS_ONLY lists the materials that
    /// rotations made current; ALL_KEY_MATERIAL adds the first material and the one pending rotation.
    func listImportedKeyRotations(_ key: KeyRecord, _ request: ListKeyRotationsRequest) async throws -> ListKeyRotationsResponse {
        let limit = request.limit ?? 100
        var after = 0
        if let marker = request.marker {
            guard let version = Int(marker), version > 0 else { throw KMSError.invalidMarker }
            after = version
        }
        let all = request.includeKeyMaterial?.value == .allKeyMaterial
        let rows = try await importedMaterials(key).filter {
            $0.version > after && (all || ($0.version > 1 && $0.version <= key.currentVersion))
        }
        let page = rows.prefix(limit)
        return ListKeyRotationsResponse(
            rotations: page.map { m in
                var entry = RotationsListEntry(
                    keyId: key.reference.keyId, keyMaterialId: m.materialId,
                    keyMaterialState: m.version == key.currentVersion
                        ? .current : (m.version < key.currentVersion ? .nonCurrent : .pendingRotation),
                    rotationDate: m.rotationType == nil ? nil : m.createdAt, rotationType: m.rotationType,
                    keyMaterialDescription: m.description)
                switch m.state {
                case .imported(let model, let validTo):
                    entry.importState = .imported
                    entry.expirationModel = model
                    entry.validTo = validTo
                case .pendingImport:
                    entry.importState = .pendingImport
                }
                return entry
            },
            nextMarker: rows.count > limit ? page.last.map { String($0.version) } : nil)
    }

    // MARK: Shared steps

    private func requireExternal(_ key: KeyRecord) throws {
        guard key.origin == .external else {
            throw KMSError(
                .unsupportedOperation, "\(key.reference.arn) origin is \(key.origin.rawValue) which is not valid for this operation.")
        }
        guard ImportedKeyMaterial.isImportable(key.keySpec) else {
            throw KMSError(.unsupportedOperation, "Importing \(key.keySpec.rawValue) key material is not supported by this server.")
        }
    }

    /// Every material associated with the key (none before its first import).
    private func importedMaterials(_ key: KeyRecord) async throws -> [ImportedMaterialRecord] {
        guard key.importedMaterialId != nil else { return [] }
        return try await boundary { try await repository.importedMaterials(key.reference) }
    }

    /// IncorrectKeyMaterialException's text for each way imported material can be wrong.
    private static func message(_ failure: ImportedKeyMaterial.Failure) -> String {
        switch failure {
        case .length(let spec, let lengths) where lengths.count == 1:
            "Key material for a \(spec.rawValue) key must be \(lengths.lowerBound) bytes long."
        case .length(let spec, let lengths):
            "Key material for a \(spec.rawValue) key must be \(lengths.lowerBound) to \(lengths.upperBound) bytes long."
        case .notPKCS8:
            "The key material is not a private key in PKCS #8 format."
        case .wrongKeySpec(let spec):
            "The key material is not a \(spec.rawValue) private key."
        case .inconsistent:
            "The key material is not a valid private key: its private and public parts do not match."
        case .notImportable(let spec):
            "Importing \(spec.rawValue) key material is not supported by this server."
        }
    }

    /// An EXTERNAL key that can take material: PendingImport, Enabled or Disabled.
    private func importableKey(_ keyId: String, context: OperationContext, action: String) async throws -> KeyRecord {
        let key = try await resolveKey(keyId, .keyOnly, context: context, action: action)
        try requireExternal(key)
        switch key.keyState {
        case .pendingImport, .enabled, .disabled: return key
        default: throw KMSError.invalidState(key.reference.arn, key.keyState)
        }
    }

    /// ExpirationModel defaults to KEY_MATERIAL_EXPIRES, which needs a ValidTo in the next 365 days.
    private func expiration(_ request: ImportKeyMaterialRequest, now: Date) throws -> (ExpirationModelType, Date?) {
        let model = request.expirationModel?.value ?? .keyMaterialExpires
        switch (model, request.validTo) {
        case (.keyMaterialExpires, nil):
            throw KMSError(.validation, "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
        case (.keyMaterialDoesNotExpire, .some):
            throw KMSError(.validation, "A validTo date may not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE")
        case (.keyMaterialExpires, let validTo?):
            guard validTo > now else { throw KMSError(.validation, "ValidTo must be in the future.") }
            guard validTo <= now.addingTimeInterval(Self.maximumValidity) else {
                throw KMSError(.validation, "ValidTo must be at most 365 days from now.")
            }
            return (model, validTo)
        case (.keyMaterialDoesNotExpire, nil):
            return (model, nil)
        }
    }

    /// The parameters a token names: InvalidImportTokenException for a garbled token or one of
    /// another key, ExpiredImportTokenException past its 24 hours.
    private func importParameters(_ token: Data, key: KeyRecord, now: Date) async throws -> ImportParametersRecord {
        guard token.count == 33, token.first == Self.importTokenVersion else { throw KMSError.invalidImportToken }
        let tokenId = Data(token.dropFirst()).hexString
        guard let parameters = try await boundary({ try await repository.importParameters(tokenId: tokenId) }),
            parameters.reference == key.reference
        else {
            throw KMSError.invalidImportToken
        }
        guard now < parameters.validTo else {
            throw KMSError(.expiredImportToken, "The import token has expired.")
        }
        return parameters
    }
}

extension KMSError {
    static let invalidImportToken = KMSError(.invalidImportToken, "Import token is invalid or associated with a different KMS key.")

    static func materialPendingRotation(_ arn: String, _ materialId: String) -> KMSError {
        KMSError(
            .invalidState,
            "\(arn) already has key material \(materialId) in PENDING_ROTATION state. "
                + "Rotate the key, or delete that key material, before importing other new key material.")
    }

    /// Rotation of imported multi-Region keys (AWS's PENDING_MULTI_REGION_IMPORT_AND_ROTATION
    /// state) is not implemented; each Region keeps its one imported material.
    static func multiRegionImportedRotation(_ arn: String) -> KMSError {
        KMSError(
            .unsupportedOperation,
            "\(arn) is a multi-Region key with imported key material; rotating it to new key material is not supported by this server.")
    }

    static func differentKeyMaterial(_ arn: String) -> KMSError {
        KMSError(.incorrectKeyMaterial, "The key material is not the key material previously imported into \(arn).")
    }
}

extension WrappingContext {
    /// The wrapping private key of one GetParametersForImport answer.
    static func importWrappingKey(reference: KeyReference, tokenId: String) -> WrappingContext {
        WrappingContext("import-wrapping-key/\(reference.accountId)/\(reference.region)/\(reference.keyId)/\(tokenId)")
    }
}

extension KeyReference {
    /// What a KeyMaterialId is bound to: the key's ARN, without its Region for a multi-Region
    /// key, so related keys report the same id for the same material, as AWS's do.
    var materialIdScope: String {
        keyId.hasPrefix("mrk-") ? "arn:aws:kms::\(accountId):key/\(keyId)" : arn
    }
}
