import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Rotation: the settings, on-demand rotation and its quota, the history, and the scheduler,
/// all on a manual clock.
struct KeyRotationTests {
    static let day: TimeInterval = 86400

    func status(_ f: ServiceFixture, _ keyId: String) async throws -> GetKeyRotationStatusResponse {
        try await f.service.getKeyRotationStatus(GetKeyRotationStatusRequest(keyId: keyId), caller: f.caller)
    }

    @Test func enableDisableAndStatus() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        var s = try await status(f, key.keyId)
        #expect(!s.keyRotationEnabled && s.rotationPeriodInDays == nil && s.nextRotationDate == nil)
        #expect(s.keyId == key.arn)

        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId), caller: f.caller)
        s = try await status(f, key.keyId)
        #expect(s.keyRotationEnabled && s.rotationPeriodInDays == 365)
        #expect(s.nextRotationDate == f.clock.now().addingTimeInterval(365 * Self.day))

        // A new period keeps the anchor (when rotation was enabled).
        f.clock.advance(by: 10 * Self.day)
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId, rotationPeriodInDays: 90), caller: f.caller)
        s = try await status(f, key.keyId)
        #expect(s.rotationPeriodInDays == 90)
        #expect(s.nextRotationDate == f.clock.now().addingTimeInterval(80 * Self.day))

        _ = try await f.service.disableKeyRotation(DisableKeyRotationRequest(keyId: key.keyId), caller: f.caller)
        s = try await status(f, key.keyId)
        #expect(!s.keyRotationEnabled && s.rotationPeriodInDays == nil && s.nextRotationDate == nil)
    }

    @Test func periodIsValidatedAsAWSDoes() throws {
        #expect(throws: KMSError.self) { try EnableKeyRotationRequest(keyId: "k", rotationPeriodInDays: 89).validate() }
        #expect(throws: KMSError.self) { try EnableKeyRotationRequest(keyId: "k", rotationPeriodInDays: 2561).validate() }
        try EnableKeyRotationRequest(keyId: "k", rotationPeriodInDays: 2560).validate()
        try EnableKeyRotationRequest(keyId: "k", rotationPeriodInDays: 90).validate()
    }

    @Test func onlySymmetricEncryptionKeysRotate() async throws {
        let f = ServiceFixture()
        let hmac = try await f.service.createKey(CreateKeyRequest(keyUsage: .generateVerifyMac, keySpec: .hmac256), caller: f.caller)
        let arn = hmac.keyMetadata.arn
        let expected = KMSError(.unsupportedOperation, "\(arn) is not a symmetric encryption KMS key.")
        #expect(await kmsError { _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: arn), caller: f.caller) } == expected)
        #expect(await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: arn), caller: f.caller) } == expected)
        #expect(await kmsError { _ = try await status(f, arn) } == expected)
    }

    @Test func keyStateIsChecked() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: key.keyId), caller: f.caller)
        #expect(
            await kmsError { _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId), caller: f.caller) }
                == KMSError(.disabled, "\(key.arn) is disabled."))
        #expect(
            await kmsError { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller) }
                == KMSError(.disabled, "\(key.arn) is disabled."))
        // Status still answers for a disabled key.
        #expect(try await status(f, key.keyId).keyRotationEnabled == false)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        #expect(await kmsError { _ = try await status(f, key.keyId) } == KMSError(.invalidState, "\(key.arn) is pending deletion."))
    }

    @Test func onDemandRotationsKeepOldVersionsDecryptingAndReEncryptMovesToNewest() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        var blobs: [Data] = []
        var materialIds: [String] = []
        for generation in 0..<3 {
            if generation > 0 {
                _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller)
            }
            let encrypted = try await f.service.encrypt(
                EncryptRequest(keyId: key.keyId, plaintext: Data("gen \(generation)".utf8)), caller: f.caller)
            blobs.append(encrypted.ciphertextBlob)
            materialIds.append(try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller).keyMetadata.currentKeyMaterialId!)
        }
        #expect(Set(materialIds).count == 3)
        for (generation, blob) in blobs.enumerated() {
            #expect(try await f.decrypt(blob) == "gen \(generation)")
        }
        let moved = try await f.service.reEncrypt(ReEncryptRequest(ciphertextBlob: blobs[0], destinationKeyId: key.keyId), caller: f.caller)
        #expect(moved.sourceKeyMaterialId == materialIds[0] && moved.destinationKeyMaterialId == materialIds[2])
        #expect(try await f.decrypt(moved.ciphertextBlob) == "gen 0")

        // On-demand rotation leaves the automatic schedule alone.
        #expect(try await status(f, key.keyId).keyRotationEnabled == false)

        let history = try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId), caller: f.caller)
        #expect(history.rotations.map(\.keyMaterialId) == Array(materialIds[1...]))
        #expect(history.rotations.map(\.rotationType) == [.onDemand, .onDemand])
        #expect(history.rotations.map(\.keyMaterialState) == [.nonCurrent, .current])
        #expect(history.rotations.allSatisfy { $0.rotationDate == f.clock.now() && $0.keyId == key.keyId })
        let all = try await f.service.listKeyRotations(
            ListKeyRotationsRequest(keyId: key.keyId, includeKeyMaterial: .allKeyMaterial), caller: f.caller)
        #expect(all.rotations.map(\.keyMaterialId) == materialIds)
        #expect(all.rotations[0].rotationType == nil && all.rotations[0].rotationDate == nil)
    }

    @Test func listKeyRotationsPages() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for _ in 0..<5 { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller) }
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId, limit: 2, marker: marker), caller: f.caller)
            seen += page.rotations.compactMap(\.keyMaterialId)
            #expect(page.truncated == (page.nextMarker != nil))
            marker = page.nextMarker
        } while marker != nil
        #expect(seen.count == 5 && Set(seen).count == 5)
        #expect(
            await kmsError {
                _ = try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId, marker: "nope"), caller: f.caller)
            }?.code == .invalidMarker)
    }

    @Test func onDemandRotationsAreLimitedTo25() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for _ in 0..<25 { _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller) }
        let error = await kmsError {
            _ = try await f.service.rotateKeyOnDemand(RotateKeyOnDemandRequest(keyId: key.keyId), caller: f.caller)
        }
        #expect(error == KMSError(.limitExceeded, "On-demand rotations quota exceeded for \(key.arn)."))
    }

    @Test func schedulerRotatesWhenDueOnceAndRecordsAServiceEvent() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "before")
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId, rotationPeriodInDays: 90), caller: f.caller)
        let due = f.clock.now().addingTimeInterval(90 * Self.day)

        f.clock.advance(by: 89 * Self.day)
        #expect(await f.service.runDueWork().isEmpty)
        f.clock.advance(by: Self.day)
        let outcomes = await f.service.runDueWork()
        #expect(outcomes.map(\.result) == [.done])
        #expect(outcomes.first?.work.date == due)
        #expect(await f.service.runDueWork().isEmpty)

        let s = try await status(f, key.keyId)
        #expect(s.nextRotationDate == due.addingTimeInterval(90 * Self.day))
        let rotations = try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId), caller: f.caller).rotations
        #expect(rotations.map(\.rotationType) == [.automatic] && rotations.first?.rotationDate == due)
        #expect(try await f.decrypt(blob) == "before")

        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let rotation = try #require(events.first { $0.eventName == "RotateKey" })
        #expect(rotation.eventType == "AwsServiceEvent" && rotation.userIdentity.invokedBy == "kms.amazonaws.com")
        #expect(rotation.resources.map(\.arn) == [key.arn])
        #expect(rotation.serviceEventDetails == .object(["keyId": .string(key.keyId)]))
    }

    @Test func afterDowntimeADueKeyRotatesOnceAndKeepsItsPhase() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId, rotationPeriodInDays: 100), caller: f.caller)
        let start = f.clock.now()
        f.clock.advance(by: 350 * Self.day)  // three due dates missed: days 100, 200, 300
        #expect(await f.service.runDueWork().map(\.result) == [.done])
        #expect(await f.service.runDueWork().isEmpty)
        #expect(try await status(f, key.keyId).nextRotationDate == start.addingTimeInterval(400 * Self.day))
        #expect(try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId), caller: f.caller).rotations.count == 1)
    }

    @Test func disabledKeysWaitAndRotateWhenEnabledAgain() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId, rotationPeriodInDays: 90), caller: f.caller)
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: key.keyId), caller: f.caller)
        f.clock.advance(by: 100 * Self.day)
        #expect(await f.service.runDueWork().isEmpty)
        _ = try await f.service.enableKey(EnableKeyRequest(keyId: key.keyId), caller: f.caller)
        #expect(await f.service.runDueWork().map(\.result) == [.done])
    }

    /// Two processes that read the same due date: the store lets one claim it.
    @Test func aDueDateIsClaimedOnceAcrossProcesses() async throws {
        let repository = MemoryKeyRepository()
        let f = ServiceFixture(repository: repository)
        let other = KeyManagementService(repository: repository, rootKey: f.rootKey, clock: f.clock)
        let key = try await f.createKey()
        _ = try await f.service.enableKeyRotation(EnableKeyRotationRequest(keyId: key.keyId, rotationPeriodInDays: 90), caller: f.caller)
        f.clock.advance(by: 91 * Self.day)
        async let a = f.service.runDueWork()
        async let b = other.runDueWork()
        let results = (await a + b).map(\.result)
        #expect(results.filter { $0 == .done }.count == 1)
        #expect(try await f.service.listKeyRotations(ListKeyRotationsRequest(keyId: key.keyId), caller: f.caller).rotations.count == 1)
    }
}
