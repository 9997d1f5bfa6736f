import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Every call through the pipeline leaves exactly one record, and records tell what happened.
struct AuditRecordingTests {
    func records(_ f: ServiceFixture) async throws -> [CloudTrailEvent] {
        try await f.repository.auditRecords(after: 0, limit: 1000).map { try CloudTrailEvent.decode($0.entry.record) }
    }

    @Test func oneRecordPerCallSucceededOrNot() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "secret-plaintext", context: ["app": "x"])
        _ = await kmsError { _ = try await f.decrypt(blob, context: ["app": "y"]) }
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/a", targetKeyId: key.keyId), caller: f.caller)
        _ = await kmsError {
            _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/a", targetKeyId: key.keyId), caller: f.caller)
        }
        let events = try await records(f)
        #expect(events.map(\.eventName) == ["CreateKey", "Encrypt", "Decrypt", "CreateAlias", "CreateAlias"])
        #expect(events.map(\.errorCode) == [nil, nil, "InvalidCiphertextException", nil, "AlreadyExistsException"])
        #expect(events[4].errorMessage == "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/a already exists")

        let encrypt = events[1]
        #expect(encrypt.userIdentity.arn == "arn:aws:iam::111122223333:root")
        #expect(encrypt.userIdentity.type == "Root")
        #expect(encrypt.readOnly)
        #expect(encrypt.resources.map(\.arn) == [key.arn])
        #expect(encrypt.requestParameters[member: "encryptionContext"] == .object(["app": .string("x")]))
        #expect(encrypt.additionalEventData?[member: "keyMaterialId"]?.stringValue == key.currentKeyMaterialId)
        #expect(events[0].responseElements[member: "keyMetadata"]?[member: "keyId"]?.stringValue == key.keyId)
        #expect(!events[0].readOnly)
    }

    @Test func recordsNeverHoldPlaintextsOrKeys() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let plaintext = "a very recognisable plaintext"
        let blob = try await f.encrypt(key.keyId, plaintext)
        let dataKey = try await f.service.generateDataKey(GenerateDataKeyRequest(keyId: key.keyId, keySpec: .aes256), caller: f.caller)
        _ = try await f.decrypt(blob)
        var trail = Data()
        for record in try await f.repository.auditRecords(after: 0, limit: 1000) { trail.append(record.entry.record) }
        for secret in [
            Data(plaintext.utf8), Data(plaintext.utf8).base64EncodedData(), dataKey.plaintext,
            dataKey.plaintext.base64EncodedData(), blob.base64EncodedData(), dataKey.ciphertextBlob.base64EncodedData(),
        ] {
            #expect(trail.range(of: secret) == nil)
        }
    }

    @Test func aChangeRefusedAtCommitIsAnsweredWithTheOperationsErrorAndRecordedOnce() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let request = CreateAliasRequest(aliasName: "alias/race", targetKeyId: key.keyId)
        let error = await kmsError {
            _ = try await f.service.execute("CreateAlias", request, caller: f.caller, origin: KeyManagementService.testOrigin) {
                let response = try await f.service.createAlias(request, context: $0)
                // Another request takes the name between this one's check and its commit.
                _ = try await f.service.createAlias(request, caller: f.caller)
                return response
            }
        }
        #expect(error == KMSError(.alreadyExists, "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/race already exists"))
        let events = try await records(f)
        #expect(events.map(\.eventName) == ["CreateKey", "CreateAlias", "CreateAlias"])
        #expect(events.map(\.errorCode) == [nil, nil, "AlreadyExistsException"])
        #expect(try await f.repository.listAliases(accountId: "111122223333", region: "us-east-1", targetKeyId: nil, after: nil, limit: 10).count == 1)
    }

    @Test func getKeyLastUsageFollowsTheTrail() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let fresh = try await f.service.getKeyLastUsage(GetKeyLastUsageRequest(keyId: key.keyId), caller: f.caller)
        #expect(fresh.keyLastUsage == nil)
        #expect(fresh.trackingStartDate == key.creationDate && fresh.keyCreationDate == key.creationDate)

        let blob = try await f.encrypt(key.keyId, "x")
        _ = await kmsError { _ = try await f.decrypt(blob, context: ["wrong": "context"]) }
        _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller)
        let used = try await f.service.getKeyLastUsage(GetKeyLastUsageRequest(keyId: key.arn), caller: f.caller)
        #expect(used.keyLastUsage?.operation == "Encrypt")
        let encryptEvent = try await records(f).first { $0.eventName == "Encrypt" }
        #expect(used.keyLastUsage?.cloudTrailEventId == encryptEvent?.eventID)
        #expect(used.keyLastUsage?.kmsRequestId == KeyManagementService.testOrigin.requestId)

        let byAlias = await kmsError {
            _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/k", targetKeyId: key.keyId), caller: f.caller)
            _ = try await f.service.getKeyLastUsage(GetKeyLastUsageRequest(keyId: "alias/k"), caller: f.caller)
        }
        #expect(byAlias?.code == .notFound)
    }
}

extension AuditRecordingTests {
    @Test func concurrentRequestsAreEachCommittedOnce() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { _ = try await f.encrypt(key.keyId, "message \(i)") }
            }
            try await group.waitForAll()
        }
        let statistics = await f.service.commitStatistics()
        #expect(statistics.items == 201)
        #expect(try await f.repository.auditRecords(after: 0, limit: 1000).count == 201)
        #expect(statistics.transactions >= 1 && statistics.largestBatch >= 1)
    }
}
