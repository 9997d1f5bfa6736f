import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Imported key material (BYOK): CreateKey with Origin EXTERNAL, GetParametersForImport,
/// ImportKeyMaterial, DeleteImportedKeyMaterial and expiry, with the manual clock.
struct ImportKeyMaterialTests {
    static let day: TimeInterval = 86400

    func createExternalKey(_ f: ServiceFixture) async throws -> KeyMetadata {
        var request = CreateKeyRequest(description: "byok")
        request.origin = .known(.external)
        return try await f.service.createKey(request, caller: f.caller).keyMetadata
    }

    /// GetParametersForImport, then ImportKeyMaterial of `material` wrapped as a client would.
    @discardableResult
    func importMaterial(
        _ f: ServiceFixture, _ keyId: String, _ material: Data, algorithm: AlgorithmSpec = .rsaesOAEPSHA256,
        spec: WrappingKeySpec = .rsa2048, validTo: Date? = nil, importType: ImportType? = nil
    ) async throws -> ImportKeyMaterialResponse {
        let parameters = try await f.service.getParametersForImport(
            GetParametersForImportRequest(keyId: keyId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec), caller: f.caller)
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: algorithm)
        return try await f.service.importKeyMaterial(
            ImportKeyMaterialRequest(
                keyId: keyId, importToken: parameters.importToken, encryptedKeyMaterial: wrapped, validTo: validTo,
                expirationModel: validTo == nil ? .keyMaterialDoesNotExpire : .keyMaterialExpires, importType: importType),
            caller: f.caller)
    }

    func describe(_ f: ServiceFixture, _ keyId: String) async throws -> KeyMetadata {
        try await f.service.describeKey(DescribeKeyRequest(keyId: keyId), caller: f.caller).keyMetadata
    }

    @Test func anExternalKeyIsPendingImportWithoutMaterial() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        #expect(key.keyState == .pendingImport && key.origin == .external && !key.enabled)
        #expect(key.currentKeyMaterialId == nil && key.expirationModel == nil)
        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)
        #expect(try await f.repository.material(reference, version: 1) == nil)
        #expect(
            await kmsError { _ = try await f.encrypt(key.keyId, "x") }
                == KMSError(.invalidState, "\(key.arn) is pending import."))
        #expect(await kmsError { _ = try await f.service.enableKey(EnableKeyRequest(keyId: key.keyId), caller: f.caller) }?.code == .invalidState)
    }

    @Test func otherOriginsAreStillRefused() async throws {
        let f = ServiceFixture()
        for origin in [OriginType.awsCloudHSM, .externalKeyStore] {
            var request = CreateKeyRequest()
            request.origin = .known(origin)
            #expect(await kmsError { _ = try await f.service.createKey(request, caller: f.caller) }?.code == .unsupportedOperation)
        }
    }

    @Test(arguments: [
        (AlgorithmSpec.rsaesOAEPSHA1, WrappingKeySpec.rsa2048), (.rsaesOAEPSHA256, .rsa3072),
        (.rsaAESKeyWrapSHA1, .rsa2048), (.rsaAESKeyWrapSHA256, .rsa2048), (.sm2PKE, .sm2),
    ])
    func importWithEachWrappingAlgorithm(algorithm: AlgorithmSpec, spec: WrappingKeySpec) async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        let imported = try await importMaterial(f, key.keyId, material, algorithm: algorithm, spec: spec)
        #expect(imported.keyId == key.arn)
        #expect(imported.keyMaterialId == ImportedKeyMaterial.materialId(material, keyArn: key.arn))
        let metadata = try await describe(f, key.keyId)
        #expect(metadata.keyState == .enabled && metadata.currentKeyMaterialId == imported.keyMaterialId)
        #expect(metadata.expirationModel == .keyMaterialDoesNotExpire && metadata.validTo == nil)
        let blob = try await f.encrypt(key.keyId, "hello", context: ["a": "b"])
        #expect(try await f.decrypt(blob, context: ["a": "b"]) == "hello")
        // The material imported is the material used: a local seal with it opens under Trent.
        let header = CiphertextBlob.Header(accountId: "111122223333", keyId: key.keyId, keyVersion: 1)
        let local = try SymmetricKeyMaterial(bytes: material).seal(Data("local".utf8), header: header, context: nil)
        #expect(try await f.decrypt(Data(local.bytes)) == "local")
    }

    @Test(arguments: [(KeySpec.hmac224, 28...64), (.hmac256, 32...64), (.hmac384, 48...128), (.hmac512, 64...128)])
    func hmacMaterialImportsAndMacsAsImported(spec: KeySpec, lengths: ClosedRange<Int>) async throws {
        let f = ServiceFixture()
        var request = CreateKeyRequest(keyUsage: .generateVerifyMac, keySpec: spec)
        request.origin = .known(.external)
        let key = try await f.service.createKey(request, caller: f.caller).keyMetadata
        #expect(key.keyState == .pendingImport)
        for count in [lengths.lowerBound - 1, lengths.upperBound + 1] {
            #expect(await kmsError { try await importMaterial(f, key.keyId, SecureRandom.data(count)) }?.code == .incorrectKeyMaterial)
        }
        let material = SecureRandom.data(lengths.upperBound)
        try await importMaterial(f, key.keyId, material, algorithm: .rsaAESKeyWrapSHA256)
        let algorithm = try #require(spec.macAlgorithms(for: .generateVerifyMac)?.first)
        let mac = try await f.service.generateMac(
            GenerateMacRequest(keyId: key.keyId, message: Data("m".utf8), macAlgorithm: algorithm), caller: f.caller)
        #expect(mac.mac == (try HMACKeyMaterial(bytes: material).authenticationCode(for: Data("m".utf8), algorithm: algorithm)))
    }

    @Test func mismatchedAlgorithmAndSpecIsRefused() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        for (algorithm, spec) in [(AlgorithmSpec.sm2PKE, WrappingKeySpec.rsa2048), (.rsaesOAEPSHA256, .sm2), (.rsaesPKCS1V15, .rsa2048)] {
            #expect(
                await kmsError {
                    _ = try await f.service.getParametersForImport(
                        GetParametersForImportRequest(keyId: key.keyId, wrappingAlgorithm: algorithm, wrappingKeySpec: spec),
                        caller: f.caller)
                }?.code == .validation)
        }
        let generated = try await f.createKey()
        #expect(
            await kmsError {
                _ = try await f.service.getParametersForImport(
                    GetParametersForImportRequest(keyId: generated.keyId, wrappingAlgorithm: .rsaesOAEPSHA256, wrappingKeySpec: .rsa2048),
                    caller: f.caller)
            } == KMSError(.unsupportedOperation, "\(generated.arn) origin is AWS_KMS which is not valid for this operation."))
    }

    @Test func reimportOfTheSameMaterialRestoresOldCiphertexts() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        let first = try await importMaterial(f, key.keyId, material)
        let blob = try await f.encrypt(key.keyId, "kept")

        let deleted = try await f.service.deleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest(keyId: key.keyId), caller: f.caller)
        #expect(deleted.keyId == key.arn && deleted.keyMaterialId == first.keyMaterialId)
        let pending = try await describe(f, key.keyId)
        #expect(pending.keyState == .pendingImport && pending.currentKeyMaterialId == nil && pending.expirationModel == nil)
        let reference = KeyReference(accountId: "111122223333", region: "us-east-1", keyId: key.keyId)
        #expect(try await f.repository.material(reference, version: 1) == nil)
        #expect(!f.service.materialCache.holds(reference))
        #expect(await kmsError { _ = try await f.decrypt(blob) } == KMSError(.invalidState, "\(key.arn) is pending import."))

        // Different material is refused; the same material (EXISTING_KEY_MATERIAL by default) is taken.
        #expect(await kmsError { try await importMaterial(f, key.keyId, SecureRandom.data(32)) }?.code == .incorrectKeyMaterial)
        let again = try await importMaterial(f, key.keyId, material, algorithm: .rsaAESKeyWrapSHA256)
        #expect(again.keyMaterialId == first.keyMaterialId)
        #expect(try await f.decrypt(blob) == "kept")
        #expect(await kmsError { try await importMaterial(f, key.keyId, material, importType: .newKeyMaterial) }?.code == .incorrectKeyMaterial)
    }

    @Test func differentMaterialIsRefusedWhileTheKeyHasMaterial() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        try await importMaterial(f, key.keyId, SecureRandom.data(32))
        #expect(
            await kmsError { try await importMaterial(f, key.keyId, SecureRandom.data(32)) }
                == KMSError.differentKeyMaterial(key.arn))
    }

    @Test func materialMustBe32Bytes() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        for count in [16, 31, 33, 64] {
            #expect(await kmsError { try await importMaterial(f, key.keyId, SecureRandom.data(count)) }?.code == .incorrectKeyMaterial)
        }
        #expect(try await describe(f, key.keyId).keyState == .pendingImport)
    }

    @Test func tokensAreCheckedForKeyShapeAndAge() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        let other = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        let parameters = try await f.service.getParametersForImport(
            GetParametersForImportRequest(keyId: key.keyId, wrappingAlgorithm: .rsaesOAEPSHA1, wrappingKeySpec: .rsa2048),
            caller: f.caller)
        #expect(parameters.keyId == key.arn && parameters.parametersValidTo == f.clock.now().addingTimeInterval(Self.day))
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: .rsaesOAEPSHA1)
        func attempt(_ keyId: String, _ token: Data, _ encrypted: Data = wrapped) async -> KMSError? {
            await kmsError {
                _ = try await f.service.importKeyMaterial(
                    ImportKeyMaterialRequest(
                        keyId: keyId, importToken: token, encryptedKeyMaterial: encrypted, expirationModel: .keyMaterialDoesNotExpire),
                    caller: f.caller)
            }
        }
        #expect(await attempt(other.keyId, parameters.importToken) == KMSError.invalidImportToken)
        var garbled = parameters.importToken
        garbled[5] ^= 0x01
        #expect(await attempt(key.keyId, garbled) == KMSError.invalidImportToken)
        #expect(await attempt(key.keyId, Data("not a token".utf8)) == KMSError.invalidImportToken)
        var flipped = wrapped
        flipped[10] ^= 0x01
        #expect(await attempt(key.keyId, parameters.importToken, flipped) == KMSError.invalidCiphertext)

        f.clock.advance(by: Self.day)
        #expect(await attempt(key.keyId, parameters.importToken)?.code == .expiredImportToken)
        f.clock.advance(by: -1)
        #expect(await attempt(key.keyId, parameters.importToken) == nil)
    }

    @Test func validToIsChecked() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        #expect(await kmsError { try await importMaterial(f, key.keyId, material, validTo: f.clock.now()) }?.code == .validation)
        #expect(
            await kmsError { try await importMaterial(f, key.keyId, material, validTo: f.clock.now().addingTimeInterval(366 * Self.day)) }?
                .code == .validation)
        let parameters = try await f.service.getParametersForImport(
            GetParametersForImportRequest(keyId: key.keyId, wrappingAlgorithm: .rsaesOAEPSHA256, wrappingKeySpec: .rsa2048),
            caller: f.caller)
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: .rsaesOAEPSHA256)
        // ExpirationModel defaults to KEY_MATERIAL_EXPIRES, which needs a ValidTo.
        #expect(
            await kmsError {
                _ = try await f.service.importKeyMaterial(
                    ImportKeyMaterialRequest(keyId: key.keyId, importToken: parameters.importToken, encryptedKeyMaterial: wrapped),
                    caller: f.caller)
            }?.code == .validation)
    }

    @Test(arguments: [false, true])
    func materialExpiresOnTime(sqlite: Bool) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trent-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let f =
            sqlite
            ? ServiceFixture(repository: try SQLiteKeyRepository(path: folder.appendingPathComponent("t.sqlite").path))
            : ServiceFixture()
        let key = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        let validTo = f.clock.now().addingTimeInterval(10 * Self.day)
        try await importMaterial(f, key.keyId, material, validTo: validTo)
        let metadata = try await describe(f, key.keyId)
        #expect(metadata.validTo == validTo && metadata.expirationModel == .keyMaterialExpires)
        let blob = try await f.encrypt(key.keyId, "before expiry")
        #expect(try await f.service.scheduledWork().map(\.kind) == [.materialExpiry])

        f.clock.advance(by: 10 * Self.day - 1)
        #expect(await f.service.runDueWork().isEmpty)
        #expect(try await f.decrypt(blob) == "before expiry")
        f.clock.advance(by: 1)
        let outcomes = await f.service.runDueWork()
        #expect(outcomes.map(\.result) == [.done] && outcomes.first?.work.kind == .materialExpiry)
        #expect(await f.service.runDueWork().isEmpty)
        let expired = try await describe(f, key.keyId)
        #expect(expired.keyState == .pendingImport && expired.validTo == nil && expired.currentKeyMaterialId == nil)
        #expect(await kmsError { _ = try await f.decrypt(blob) }?.code == .invalidState)

        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let expiry = try #require(events.first { $0.eventName == "DeleteExpiredKeyMaterial" })
        #expect(expiry.eventType == "AwsServiceEvent" && expiry.resources.map(\.arn) == [key.arn])

        try await importMaterial(f, key.keyId, material)
        #expect(try await f.decrypt(blob) == "before expiry")
        #expect(try await f.service.scheduledWork().isEmpty)
    }

    @Test func deletionOfAKeyPendingImportAndCancel() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: 7), caller: f.caller)
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        #expect(try await describe(f, key.keyId).keyState == .pendingImport)
        #expect(
            await kmsError { _ = try await f.service.deleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest(keyId: key.keyId), caller: f.caller) }?
                .code == .invalidState)
    }

    @Test func theTrailNeverHoldsTokensOrMaterial() async throws {
        let f = ServiceFixture()
        let key = try await createExternalKey(f)
        let material = SecureRandom.data(32)
        let parameters = try await f.service.getParametersForImport(
            GetParametersForImportRequest(keyId: key.keyId, wrappingAlgorithm: .rsaesOAEPSHA256, wrappingKeySpec: .rsa2048),
            caller: f.caller)
        let wrapped = try ImportWrappingKey.wrap(material, publicKey: parameters.publicKey, algorithm: .rsaesOAEPSHA256)
        _ = try await f.service.importKeyMaterial(
            ImportKeyMaterialRequest(
                keyId: key.keyId, importToken: parameters.importToken, encryptedKeyMaterial: wrapped,
                expirationModel: .keyMaterialDoesNotExpire, keyMaterialDescription: "from the HSM"),
            caller: f.caller)
        let records = try await f.repository.auditRecords(after: 0, limit: 100)
        let text = records.map { String(decoding: $0.entry.record, as: UTF8.self) }.joined()
        for secret in [parameters.importToken, wrapped, material, parameters.publicKey] {
            #expect(!text.contains(secret.base64EncodedString()) && !text.contains(secret.hexString))
        }
        #expect(records.map(\.entry.record).allSatisfy { $0.range(of: material) == nil })
        #expect(text.contains("from the HSM") && text.contains("ImportKeyMaterial"))
    }
}
