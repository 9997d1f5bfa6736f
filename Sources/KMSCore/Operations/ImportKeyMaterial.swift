import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

/// Imported key material (BYOK) for symmetric encryption and HMAC keys of Origin EXTERNAL.
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
    /// A key gets one material for life: after DeleteImportedKeyMaterial or expiry only the same
    /// material imports again (recognized by its KeyMaterialId), and ciphertexts made before
    /// decrypt again. Importing new material for on-demand rotation is not supported yet.
    public func importKeyMaterial(_ request: ImportKeyMaterialRequest, context: OperationContext) async throws -> ImportKeyMaterialResponse {
        let key = try await importableKey(request.keyId, context: context, action: "ImportKeyMaterial")
        let now = clock.now()
        let (model, validTo) = try expiration(request, now: now)
        let importType = request.importType?.value ?? (key.importedMaterialId == nil ? .newKeyMaterial : .existingKeyMaterial)
        if importType == .newKeyMaterial, request.keyMaterialId != nil {
            throw KMSError(.validation, "You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.")
        }
        if importType == .existingKeyMaterial, key.importedMaterialId == nil {
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
            material = try privateKey.unwrap(request.encryptedKeyMaterial, algorithm: parameters.wrappingAlgorithm)
        } catch {
            throw KMSError.invalidCiphertext
        }
        guard let lengths = ImportedKeyMaterial.acceptedByteCounts(for: key.keySpec), lengths.contains(material.count) else {
            throw KMSError(.incorrectKeyMaterial, Self.lengthMessage(key.keySpec))
        }
        let materialId = ImportedKeyMaterial.materialId(material, keyArn: key.reference.arn)
        if let previous = key.importedMaterialId {
            guard previous == materialId else { throw KMSError.differentKeyMaterial(key.reference.arn) }
            if importType == .newKeyMaterial {
                throw KMSError(
                    .incorrectKeyMaterial, "This key material is already associated with \(key.reference.arn); use EXISTING_KEY_MATERIAL.")
            }
        }
        if let named = request.keyMaterialId, named != materialId {
            throw KMSError(.incorrectKeyMaterial, "The key material does not match KeyMaterialId \(named).")
        }

        let version = 1
        let reference = key.reference
        let wrapped = try await boundary {
            try rootKey.wrap(
                material,
                for: .keyMaterial(account: reference.accountId, region: reference.region, keyId: reference.keyId, version: version))
        }
        let record = KeyMaterialRecord(reference: reference, version: version, materialId: materialId, wrappedMaterial: wrapped, createdAt: now)
        context.change(
            .importKeyMaterial(reference, material: record, expirationModel: model, validTo: validTo),
            ifRefused: KMSError.differentKeyMaterial(reference.arn))
        context.keyMaterialId = materialId
        return ImportKeyMaterialResponse(keyId: reference.arn, keyMaterialId: materialId)
    }

    /// [DeleteImportedKeyMaterial](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html)
    /// The key becomes PendingImport (a key pending deletion stays so); its material is destroyed.
    public func deleteImportedKeyMaterial(_ request: DeleteImportedKeyMaterialRequest, context: OperationContext) async throws -> DeleteImportedKeyMaterialResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "DeleteImportedKeyMaterial")
        try requireExternal(key)
        guard key.expirationModel != nil, let materialId = key.importedMaterialId else {
            throw KMSError.invalidState(key.reference.arn, .pendingImport)
        }
        if let named = request.keyMaterialId, named != materialId {
            throw KMSError(.notFound, "Key material \(named) is not associated with \(key.reference.arn).")
        }
        context.change(.deleteImportedKeyMaterial(key.reference, expectedValidTo: nil), ifRefused: KMSError.keyNotFound(key.reference.arn))
        context.keyMaterialId = materialId
        return DeleteImportedKeyMaterialResponse(keyId: key.reference.arn, keyMaterialId: materialId)
    }

    // MARK: Shared steps

    private func requireExternal(_ key: KeyRecord) throws {
        guard key.origin == .external else {
            throw KMSError(
                .unsupportedOperation, "\(key.reference.arn) origin is \(key.origin.rawValue) which is not valid for this operation.")
        }
        guard ImportedKeyMaterial.acceptedByteCounts(for: key.keySpec) != nil else {
            throw KMSError(.unsupportedOperation, "Importing \(key.keySpec.rawValue) key material is not supported by this server.")
        }
    }

    private static func lengthMessage(_ spec: KeySpec) -> String {
        guard let lengths = ImportedKeyMaterial.acceptedByteCounts(for: spec) else { return "Key material cannot be imported." }
        return lengths.count == 1
            ? "Key material for a \(spec.rawValue) key must be \(lengths.lowerBound) bytes long."
            : "Key material for a \(spec.rawValue) key must be \(lengths.lowerBound) to \(lengths.upperBound) bytes long."
    }

    /// An EXTERNAL symmetric key that can take material: PendingImport, Enabled or Disabled.
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
