import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Shared steps of the import tests: an EXTERNAL key, and an import as a client makes it.
extension ServiceFixture {
    func createExternalKey(spec: KeySpec = .symmetricDefault, usage: KeyUsage? = nil) async throws -> KeyMetadata {
        var request = CreateKeyRequest(description: "byok", keyUsage: usage, keySpec: spec)
        request.origin = .known(.external)
        return try await service.createKey(request, caller: caller).keyMetadata
    }

    /// GetParametersForImport, then ImportKeyMaterial of `material` wrapped as a client would.
    @discardableResult
    func importMaterial(
        _ keyId: String, _ material: Data, algorithm: AlgorithmSpec = .rsaAESKeyWrapSHA256, spec: WrappingKeySpec = .rsa3072,
        validTo: Date? = nil, importType: ImportType? = nil, keyMaterialId: String? = nil, description: String? = nil
    ) async throws -> ImportKeyMaterialResponse {
        let parameters = try await service.getParametersForImport(
            GetParametersForImportRequest(keyId: keyId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec), caller: caller)
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: algorithm)
        return try await service.importKeyMaterial(
            ImportKeyMaterialRequest(
                keyId: keyId, importToken: parameters.importToken, encryptedKeyMaterial: wrapped, validTo: validTo,
                expirationModel: validTo == nil ? .keyMaterialDoesNotExpire : .keyMaterialExpires, importType: importType,
                keyMaterialDescription: description, keyMaterialId: keyMaterialId),
            caller: caller)
    }

    func describe(_ keyId: String) async throws -> KeyMetadata {
        try await service.describeKey(DescribeKeyRequest(keyId: keyId), caller: caller).keyMetadata
    }

    func rotations(_ keyId: String, _ include: IncludeKeyMaterial? = nil) async throws -> [RotationsListEntry] {
        try await service.listKeyRotations(ListKeyRotationsRequest(keyId: keyId, includeKeyMaterial: include), caller: caller)
            .rotations
    }

    func rotateOnDemand(_ keyId: String) async throws {
        _ = try await service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: keyId), caller: caller)
    }
}

/// On-demand rotation of symmetric encryption keys with imported material: new material is
/// imported (NEW_KEY_MATERIAL) pending rotation, and RotateKeyOnDemand makes it current.
/// [Rotate keys with imported key material](https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html)
struct ImportedKeyRotationTests {
    static let day: TimeInterval = 86400

    /// A blob sealed outside Trent with `material` as version `version` of the key.
    func localBlob(_ material: Data, keyId: String, version: UInt32, _ text: String) throws -> Data {
        let header = CiphertextBlob.Header(accountId: "111122223333", keyId: keyId, keyVersion: version)
        return Data(try SymmetricKeyMaterial(bytes: material).seal(Data(text.utf8), header: header, context: nil).bytes)
    }

    /// Opens a Trent blob outside Trent with `material`, proving which material sealed it.
    func openLocally(_ blob: Data, with material: Data) throws -> String {
        let parsed = try CiphertextBlob(bytes: blob)
        return String(decoding: try SymmetricKeyMaterial(bytes: material).open(parsed, context: nil), as: UTF8.self)
    }

    @Test func newMaterialPendsUntilRotatedOnDemandAndOldCiphertextsKeepDecrypting() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey()
        let first = SecureRandom.data(32)
        let second = SecureRandom.data(32)
        let firstId = try await f.importMaterial(key.keyId, first, description: "first").keyMaterialId
        let before = try await f.encrypt(key.keyId, "before")
        #expect(try openLocally(before, with: first) == "before")

        let validTo = f.clock.now().addingTimeInterval(100 * Self.day)
        let imported = try await f.importMaterial(
            key.keyId, second, algorithm: .rsaesOAEPSHA256, validTo: validTo, importType: .newKeyMaterial, description: "second")
        let secondId = try #require(imported.keyMaterialId)
        #expect(secondId == ImportedKeyMaterial.materialId(second, keyArn: key.arn) && secondId != firstId)

        // Pending rotation: listed with ALL_KEY_MATERIAL only; not yet used, and not yet counted in ValidTo.
        var described = try await f.describe(key.keyId)
        #expect(described.currentKeyMaterialId == firstId && described.keyState == .enabled)
        #expect(described.expirationModel == .keyMaterialDoesNotExpire && described.validTo == nil)
        #expect(try await f.rotations(key.keyId).isEmpty)
        var all = try await f.rotations(key.keyId, .allKeyMaterial)
        #expect(all.map(\.keyMaterialId) == [firstId, secondId])
        #expect(all.map(\.keyMaterialState) == [.current, .pendingRotation])
        #expect(all.map(\.importState) == [.imported, .imported])
        #expect(all.map(\.keyMaterialDescription) == ["first", "second"])
        #expect(all.map(\.expirationModel) == [.keyMaterialDoesNotExpire, .keyMaterialExpires])
        #expect(all.map(\.validTo) == [nil, validTo])
        #expect(all.allSatisfy { $0.rotationDate == nil && $0.rotationType == nil })
        #expect(try openLocally(try await f.encrypt(key.keyId, "still first"), with: first) == "still first")
        // A blob sealed with the pending material is not accepted before the rotation.
        let early = try localBlob(second, keyId: key.keyId, version: 2, "early")
        #expect(await kmsError { _ = try await f.decrypt(early) } == KMSError.invalidCiphertext)

        f.clock.advance(by: 3600)
        let rotatedAt = f.clock.now()
        try await f.rotateOnDemand(key.keyId)
        described = try await f.describe(key.keyId)
        #expect(described.currentKeyMaterialId == secondId)
        #expect(described.expirationModel == .keyMaterialExpires && described.validTo == validTo)
        let after = try await f.encrypt(key.keyId, "after")
        #expect(try openLocally(after, with: second) == "after")
        #expect(try await f.decrypt(before) == "before")
        #expect(try await f.decrypt(after) == "after")
        #expect(try await f.decrypt(early) == "early")

        let rotations = try await f.rotations(key.keyId)
        #expect(rotations.map(\.keyMaterialId) == [secondId])
        #expect(rotations.first?.rotationType == .onDemand && rotations.first?.rotationDate == rotatedAt)
        #expect(rotations.first?.keyMaterialState == .current && rotations.first?.importState == .imported)
        all = try await f.rotations(key.keyId, .allKeyMaterial)
        #expect(all.map(\.keyMaterialState) == [.nonCurrent, .current])
        let status = try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: key.keyId), caller: f.caller)
        #expect(!status.keyRotationEnabled)

        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let rotation = try #require(events.last { $0.eventName == "RotateKeyOnDemand" })
        #expect(rotation.additionalEventData == .object(["keyMaterialId": .string(secondId)]))
    }

    @Test func rotationNeedsMaterialPendingRotation() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey()
        #expect(await kmsError { try await f.rotateOnDemand(key.keyId) }?.code == .invalidState)  // pending import
        try await f.importMaterial(key.keyId, SecureRandom.data(32))
        let refused = await kmsError { try await f.rotateOnDemand(key.keyId) }
        #expect(refused?.code == .invalidState && refused?.message.contains("PENDING_ROTATION") == true)
        // Automatic rotation stays unsupported for imported material, as in AWS.
        #expect(
            await kmsError { _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId), caller: f.caller) }
                == KMSError(.unsupportedOperation, "\(key.arn) origin is EXTERNAL which is not valid for this operation."))
        // Rotating a disabled key is refused as for generated material.
        try await f.importMaterial(key.keyId, SecureRandom.data(32), importType: .newKeyMaterial)
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: key.keyId), caller: f.caller)
        #expect(await kmsError { try await f.rotateOnDemand(key.keyId) } == KMSError.disabled(key.arn))
        _ = try await f.service.enableKey(EnableKeyRequest(keyId: key.keyId), caller: f.caller)
        try await f.rotateOnDemand(key.keyId)
        #expect(try await f.rotations(key.keyId).count == 1)
    }

    @Test func oneMaterialPendsAtATimeAndCanBeReplacedBeforeTheRotation() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey()
        let first = SecureRandom.data(32)
        try await f.importMaterial(key.keyId, first)
        let pending = try await f.importMaterial(key.keyId, SecureRandom.data(32), importType: .newKeyMaterial)
        let second = SecureRandom.data(32)
        let refused = await kmsError { try await f.importMaterial(key.keyId, second, importType: .newKeyMaterial) }
        #expect(refused?.code == .invalidState && refused?.message.contains(pending.keyMaterialId!) == true)

        // The material already associated is refused as new material, and unknown material as existing.
        #expect(await kmsError { try await f.importMaterial(key.keyId, first, importType: .newKeyMaterial) }?.code == .incorrectKeyMaterial)
        #expect(
            await kmsError { try await f.importMaterial(key.keyId, second, importType: .existingKeyMaterial) }
                == KMSError.differentKeyMaterial(key.arn))
        #expect(
            await kmsError { try await f.importMaterial(key.keyId, second, importType: .newKeyMaterial, keyMaterialId: pending.keyMaterialId) }?
                .code == .validation)

        // Pending material is not permanently associated: deleting it leaves the key usable.
        let deleted = try await f.service.deleteImportedKeyMaterial(
            DeleteImportedKeyMaterialRequest(keyId: key.keyId, keyMaterialId: pending.keyMaterialId), caller: f.caller)
        #expect(deleted.keyMaterialId == pending.keyMaterialId)
        #expect(try await f.describe(key.keyId).keyState == .enabled)
        #expect(try await f.rotations(key.keyId, .allKeyMaterial).count == 1)
        let replacement = try await f.importMaterial(key.keyId, second, importType: .newKeyMaterial)
        try await f.rotateOnDemand(key.keyId)
        #expect(try await f.describe(key.keyId).currentKeyMaterialId == replacement.keyMaterialId)
    }

    @Test func deletingAnyAssociatedMaterialMakesTheKeyPendingImportUntilItComesBack() async throws {
        let f = ServiceFixture()
        let key = try await f.createExternalKey()
        let first = SecureRandom.data(32)
        let second = SecureRandom.data(32)
        let firstId = try await f.importMaterial(key.keyId, first).keyMaterialId!
        let old = try await f.encrypt(key.keyId, "old")
        try await f.importMaterial(key.keyId, second, importType: .newKeyMaterial)
        try await f.rotateOnDemand(key.keyId)
        let new = try await f.encrypt(key.keyId, "new")

        // Deleting the non-current material: the whole key waits for it.
        _ = try await f.service.deleteImportedKeyMaterial(
            DeleteImportedKeyMaterialRequest(keyId: key.keyId, keyMaterialId: firstId), caller: f.caller)
        let pending = try await f.describe(key.keyId)
        #expect(pending.keyState == .pendingImport && pending.expirationModel == nil)
        #expect(await kmsError { _ = try await f.decrypt(new) } == KMSError(.invalidState, "\(key.arn) is pending import."))
        let all = try await f.rotations(key.keyId, .allKeyMaterial)
        #expect(all.map(\.importState) == [.pendingImport, .imported] && all.first?.expirationModel == nil)
        #expect(
            await kmsError {
                _ = try await f.service.deleteImportedKeyMaterial(
                    DeleteImportedKeyMaterialRequest(keyId: key.keyId, keyMaterialId: firstId), caller: f.caller)
            }?.code == .invalidState)

        // Re-importing it (EXISTING_KEY_MATERIAL by default) brings the key back; so does KeyMaterialId.
        #expect(await kmsError { try await f.importMaterial(key.keyId, SecureRandom.data(32)) } == KMSError.differentKeyMaterial(key.arn))
        try await f.importMaterial(key.keyId, first, keyMaterialId: firstId)
        #expect(try await f.describe(key.keyId).keyState == .enabled)
        #expect(try await f.decrypt(old) == "old")
        #expect(try await f.decrypt(new) == "new")

        // Without KeyMaterialId, DeleteImportedKeyMaterial deletes the current material.
        let current = try await f.service.deleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest(keyId: key.keyId), caller: f.caller)
        #expect(current.keyMaterialId == ImportedKeyMaterial.materialId(second, keyArn: key.arn))
        #expect(await kmsError { _ = try await f.decrypt(old) }?.code == .invalidState)
        try await f.importMaterial(key.keyId, second)
        #expect(try await f.decrypt(old) == "old")
    }

    @Test(arguments: [false, true])
    func eachMaterialExpiresOnItsOwn(sqlite: Bool) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-import-rotation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let f =
            sqlite
            ? ServiceFixture(repository: try SQLiteKeyRepository(path: folder.appendingPathComponent("t.sqlite").path))
            : ServiceFixture()
        let key = try await f.createExternalKey()
        let now = f.clock.now()
        try await f.importMaterial(key.keyId, SecureRandom.data(32), validTo: now.addingTimeInterval(30 * Self.day))
        let blob = try await f.encrypt(key.keyId, "first")
        // Pending material expiring first is simply forgotten.
        let pending = try await f.importMaterial(
            key.keyId, SecureRandom.data(32), validTo: now.addingTimeInterval(10 * Self.day), importType: .newKeyMaterial)
        #expect(try await f.describe(key.keyId).validTo == now.addingTimeInterval(30 * Self.day))
        let due = try await f.service.scheduledWork()
        #expect(due.map(\.kind) == [.materialExpiry, .materialExpiry] && due.first?.materialId == pending.keyMaterialId)

        f.clock.advance(by: 10 * Self.day)
        let outcomes = await f.service.runDueWork()
        #expect(outcomes.map(\.result) == [.done])
        #expect(try await f.describe(key.keyId).keyState == .enabled)
        #expect(try await f.rotations(key.keyId, .allKeyMaterial).count == 1)
        #expect(try await f.decrypt(blob) == "first")

        // New material that never expires, rotated to; then the first material expires and takes the key with it.
        let second = SecureRandom.data(32)
        try await f.importMaterial(key.keyId, second, importType: .newKeyMaterial)
        try await f.rotateOnDemand(key.keyId)
        #expect(try await f.describe(key.keyId).validTo == now.addingTimeInterval(30 * Self.day))
        f.clock.advance(by: 20 * Self.day)
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        let expired = try await f.describe(key.keyId)
        #expect(expired.keyState == .pendingImport && expired.validTo == nil && expired.currentKeyMaterialId != nil)
        let events = try await f.repository.auditRecords(after: 0, limit: 200).map { try CloudTrailEvent.decode($0.entry.record) }
        #expect(events.filter { $0.eventName == "DeleteExpiredKeyMaterial" }.count == 2)
    }

    @Test func onlySymmetricEncryptionKeysTakeImportTypeAndMaterialIds() async throws {
        let f = ServiceFixture()
        let hmac = try await f.createExternalKey(spec: .hmac256, usage: .generateVerifyMac)
        #expect(await kmsError { try await f.importMaterial(hmac.keyId, SecureRandom.data(32), importType: .newKeyMaterial) }?.code == .validation)
        #expect(await kmsError { try await f.importMaterial(hmac.keyId, SecureRandom.data(32), description: "label") }?.code == .validation)
        let material = SecureRandom.data(32)
        let id = try await f.importMaterial(hmac.keyId, material).keyMaterialId
        #expect(await kmsError { try await f.importMaterial(hmac.keyId, material, keyMaterialId: id) }?.code == .validation)
        #expect(
            await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: hmac.keyId), caller: f.caller) }?
                .code == .unsupportedOperation)
    }
}
