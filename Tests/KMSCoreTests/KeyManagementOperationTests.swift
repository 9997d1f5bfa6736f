import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

struct KeyManagementOperationTests {
    @Test func createKeyReportsAWSMetadata() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey(description: "payments")
        #expect(key.awsAccountId == "111122223333")
        #expect(key.arn == "arn:aws:kms:us-east-1:111122223333:key/\(key.keyId)")
        #expect(KeyIdentifier.isKeyId(key.keyId))
        #expect(key.keySpec == .symmetricDefault && key.customerMasterKeySpec == .symmetricDefault)
        #expect(key.keyUsage == .encryptDecrypt && key.keyState == .enabled && key.enabled)
        #expect(key.origin == .awsKMS && key.keyManager == .customer && !key.multiRegion)
        #expect(key.encryptionAlgorithms == [.symmetricDefault])
        #expect(key.creationDate == f.clock.now())
        #expect(key.description == "payments")
    }

    @Test func createKeyRefusesWhatItCannotMake() async throws {
        let f = ServiceFixture()
        let mismatch = await kmsError {
            _ = try await f.service.createKey(CreateKeyRequest(keyUsage: .encryptDecrypt, keySpec: .hmac256), caller: f.caller)
        }
        #expect(mismatch == KMSError(.validation, "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256"))
        let noUsage = await kmsError {
            _ = try await f.service.createKey(CreateKeyRequest(keySpec: .rsa2048), caller: f.caller)
        }
        #expect(noUsage?.message == "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
        let tooMany = await kmsError {
            _ = try await f.createKey(tags: (0..<51).map { Tag(tagKey: "k\($0)", tagValue: "") })
        }
        #expect(tooMany == KMSError(.tag, "Too many tags"))
        let reserved = await kmsError { _ = try await f.createKey(tags: [Tag(tagKey: "aws:x", tagValue: "")]) }
        #expect(reserved == KMSError(.tag, "Tags beginning with aws: are reserved"))
    }

    @Test func describeKeyNamesMissingKeysAsAWSDoes() async throws {
        let f = ServiceFixture()
        let missing = "1234abcd-12ab-34cd-56ef-1234567890ab"
        #expect(
            await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: missing), caller: f.caller) }
                == KMSError(.notFound, "Key 'arn:aws:kms:us-east-1:111122223333:key/\(missing)' does not exist"))
        #expect(
            await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: "fake-key-id"), caller: f.caller) }
                == KMSError(.notFound, "Invalid keyId 'fake-key-id'"))
        #expect(
            await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: "alias/none"), caller: f.caller) }
                == KMSError(.notFound, "Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found."))
    }

    @Test func listKeysPagesThroughEveryKeyOnce() async throws {
        let f = ServiceFixture()
        var created = Set<String>()
        for _ in 0..<7 { created.insert(try await f.createKey().keyId) }
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await f.service.listKeys(ListKeysRequest(limit: 3, marker: marker), caller: f.caller)
            #expect(page.keys.count <= 3)
            #expect(page.truncated == (page.nextMarker != nil))
            seen += page.keys.map(\.keyId)
            marker = page.nextMarker
        } while marker != nil
        #expect(seen.count == 7)
        #expect(Set(seen) == created)
        #expect(
            await kmsError { _ = try await f.service.listKeys(ListKeysRequest(marker: "bogus"), caller: f.caller) }?.code
                == .invalidMarker)
    }

    @Test func scheduleAndCancelDeletion() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let scheduled = try await f.service.scheduleKeyDeletion(
            ScheduleKeyDeletionRequest(keyId: key.arn, pendingWindowInDays: 7), caller: f.caller)
        #expect(scheduled.keyId == key.arn)
        #expect(scheduled.keyState == .pendingDeletion)
        #expect(scheduled.pendingWindowInDays == 7)
        #expect(scheduled.deletionDate == f.clock.now().addingTimeInterval(7 * 86400))
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller).keyMetadata
        #expect(described.keyState == .pendingDeletion && !described.enabled && described.deletionDate == scheduled.deletionDate)

        let again = await kmsError {
            _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        }
        #expect(again?.code == .invalidState)

        let cancelled = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        #expect(cancelled.keyId == key.arn)
        let after = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller).keyMetadata
        #expect(after.keyState == .disabled && after.deletionDate == nil)
    }

    @Test(arguments: [1, 6, 31, 365])
    func deletionWindowOutsideSevenToThirtyIsRefused(_ days: Int) async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let error = await kmsError {
            _ = try await f.service.scheduleKeyDeletion(
                ScheduleKeyDeletionRequest(keyId: key.keyId, pendingWindowInDays: days), caller: f.caller)
        }
        #expect(error == KMSError(.validation, "PendingWindowInDays must be between 7 and 30"))
    }

    @Test func lifecycleOperationsTakeNoAliases() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/a", targetKeyId: key.keyId), caller: f.caller)
        #expect(
            await kmsError { _ = try await f.service.disableKey(DisableKeyRequest(keyId: "alias/a"), caller: f.caller) }
                == KMSError(.notFound, "Invalid keyId 'alias/a'"))
    }

    @Test func updateKeyDescription() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey(description: "old")
        _ = try await f.service.updateKeyDescription(UpdateKeyDescriptionRequest(keyId: key.keyId, description: "new"), caller: f.caller)
        let described = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: f.caller).keyMetadata
        #expect(described.description == "new")
    }

    @Test func aliasesFollowAWSRules() async throws {
        let f = ServiceFixture()
        let a = try await f.createKey()
        let b = try await f.createKey()
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/app", targetKeyId: a.arn), caller: f.caller)
        #expect(
            await kmsError {
                _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/app", targetKeyId: b.keyId), caller: f.caller)
            } == KMSError(.alreadyExists, "An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists"))
        #expect(
            await kmsError {
                _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "app", targetKeyId: b.keyId), caller: f.caller)
            }?.message.hasPrefix("Alias must start with the prefix \"alias/\".") == true)
        #expect(
            await kmsError {
                _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/aws/s3", targetKeyId: b.keyId), caller: f.caller)
            }?.code == .notAuthorized)
        #expect(
            await kmsError {
                _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/x", targetKeyId: "alias/app"), caller: f.caller)
            }?.code == .notFound)

        _ = try await f.service.updateAlias(UpdateAliasRequest(aliasName: "alias/app", targetKeyId: b.keyId), caller: f.caller)
        let listed = try await f.service.listAliases(ListAliasesRequest(keyId: b.keyId), caller: f.caller)
        #expect(listed.aliases.map(\.aliasName) == ["alias/app"])
        #expect(listed.aliases.first?.targetKeyId == b.keyId)
        #expect(listed.aliases.first?.aliasArn == "arn:aws:kms:us-east-1:111122223333:alias/app")
        #expect(try await f.service.listAliases(ListAliasesRequest(keyId: a.keyId), caller: f.caller).aliases.isEmpty)

        _ = try await f.service.deleteAlias(DeleteAliasRequest(aliasName: "alias/app"), caller: f.caller)
        #expect(
            await kmsError { _ = try await f.service.deleteAlias(DeleteAliasRequest(aliasName: "alias/app"), caller: f.caller) }
                == KMSError(.notFound, "Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found."))
    }

    @Test func aliasesPage() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for i in 0..<5 {
            _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/a\(i)", targetKeyId: key.keyId), caller: f.caller)
        }
        let first = try await f.service.listAliases(ListAliasesRequest(limit: 2), caller: f.caller)
        #expect(first.aliases.map(\.aliasName) == ["alias/a0", "alias/a1"])
        #expect(first.truncated)
        let second = try await f.service.listAliases(ListAliasesRequest(limit: 10, marker: first.nextMarker), caller: f.caller)
        #expect(second.aliases.map(\.aliasName) == ["alias/a2", "alias/a3", "alias/a4"])
        #expect(!second.truncated && second.nextMarker == nil)
    }

    @Test func tagsAddOverwriteRemoveAndPage() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey(tags: [Tag(tagKey: "team", tagValue: "a")])
        _ = try await f.service.tagResource(
            TagResourceRequest(keyId: key.keyId, tags: [Tag(tagKey: "team", tagValue: "b"), Tag(tagKey: "env", tagValue: "prod")]),
            caller: f.caller)
        let all = try await f.service.listResourceTags(ListResourceTagsRequest(keyId: key.arn), caller: f.caller)
        #expect(all.tags == [Tag(tagKey: "env", tagValue: "prod"), Tag(tagKey: "team", tagValue: "b")])
        let page = try await f.service.listResourceTags(ListResourceTagsRequest(keyId: key.keyId, limit: 1), caller: f.caller)
        #expect(page.tags.count == 1 && page.truncated)
        let rest = try await f.service.listResourceTags(
            ListResourceTagsRequest(keyId: key.keyId, marker: page.nextMarker), caller: f.caller)
        #expect(rest.tags == [Tag(tagKey: "team", tagValue: "b")] && !rest.truncated)

        _ = try await f.service.untagResource(UntagResourceRequest(keyId: key.keyId, tagKeys: ["team"]), caller: f.caller)
        #expect(try await f.service.listResourceTags(ListResourceTagsRequest(keyId: key.keyId), caller: f.caller).tags.count == 1)
        #expect(
            await kmsError {
                _ = try await f.service.tagResource(
                    TagResourceRequest(keyId: key.keyId, tags: [Tag(tagKey: "d", tagValue: "1"), Tag(tagKey: "d", tagValue: "2")]),
                    caller: f.caller)
            } == KMSError(.tag, "Duplicate tag keys"))
        let fill = (0..<49).map { Tag(tagKey: "k\($0)", tagValue: "") }
        _ = try await f.service.tagResource(TagResourceRequest(keyId: key.keyId, tags: fill), caller: f.caller)
        #expect(
            await kmsError {
                _ = try await f.service.tagResource(TagResourceRequest(keyId: key.keyId, tags: [Tag(tagKey: "one-more", tagValue: "")]), caller: f.caller)
            } == KMSError(.tag, "Too many tags"))
    }
}
