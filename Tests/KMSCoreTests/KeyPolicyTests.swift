import Foundation
import KMSAudit
import KMSModel
import KMSPolicy
import KMSStorage
import Testing

@testable import KMSCore

/// Key policies: stored per key, the default one for keys that never had another, checked for
/// size and JSON syntax. Evaluating them is not this suite's concern.
struct KeyPolicyTests {
    static let awsDefaultPolicy = """
        {
          "Version" : "2012-10-17",
          "Id" : "key-default-1",
          "Statement" : [ {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:aws:iam::111122223333:root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """

    static let policy = """
        {"Version":"2012-10-17",  "Id": "mine",
          "Statement": [{"Sid": "Allow all", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*", "Resource": "*"}]}

        """

    /// A second valid policy, written compactly.
    static let compactPolicy =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}]}"#

    @Test func aKeyWithoutAPolicyHasAWSsDefaultPolicyTextByteForByte() async throws {
        #expect(DefaultKeyPolicy.document(accountId: "111122223333") == Self.awsDefaultPolicy)
        let f = ServiceFixture()
        let key = try await f.createKey()
        let answer = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller)
        #expect(answer.policy == Self.awsDefaultPolicy)
        #expect(answer.policyName == "default")
        let named = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.arn, policyName: "default"), caller: f.caller)
        #expect(named.policy == Self.awsDefaultPolicy)
        // The default names the owning account.
        let other = f.caller(account: "444455556666")
        let theirs = try await f.createKey(as: other)
        #expect(
            try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: theirs.keyId), caller: other).policy
                == DefaultKeyPolicy.document(accountId: "444455556666"))
    }

    @Test func putKeyPolicyIsReturnedExactlyAsGiven() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: Self.policy), caller: f.caller)
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller).policy == Self.policy)
        _ = try await f.service.putKeyPolicy(
            PutKeyPolicyRequest(
                keyId: key.arn, policyName: "default", policy: Self.compactPolicy, bypassPolicyLockoutSafetyCheck: true),
            caller: f.caller)
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller).policy == Self.compactPolicy)
        let listed = try await f.service.listKeyPolicies(ListKeyPoliciesRequest(keyId: key.keyId, limit: 1), caller: f.caller)
        #expect(listed.policyNames == ["default"] && !listed.truncated && listed.nextMarker == nil)
    }

    @Test func createKeyAndReplicateKeyStoreTheirPolicy() async throws {
        let f = ServiceFixture()
        let key = try await f.service.createKey(CreateKeyRequest(policy: Self.policy, bypassPolicyLockoutSafetyCheck: false), caller: f.caller)
            .keyMetadata
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller).policy == Self.policy)

        var multiRegion = CreateKeyRequest()
        multiRegion.multiRegion = true
        let primary = try await f.service.createKey(multiRegion, caller: f.caller).keyMetadata
        let west = f.caller(account: "111122223333", region: "us-west-2")
        let replica = try await f.service.replicateKey(
            ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "us-west-2", policy: Self.compactPolicy),
            caller: f.caller)
        #expect(replica.replicaPolicy == Self.compactPolicy)
        #expect(
            try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: primary.keyId), caller: west).policy
                == Self.compactPolicy)
        // The primary keeps its own (default) policy; a replica made without one gets the default.
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: primary.keyId), caller: f.caller).policy == Self.awsDefaultPolicy)
        let plain = try await f.service.replicateKey(ReplicateKeyRequest(keyId: primary.keyId, replicaRegion: "eu-west-1"), caller: f.caller)
        #expect(plain.replicaPolicy == Self.awsDefaultPolicy)
    }

    @Test func malformedPoliciesAreRefusedWithMalformedPolicyDocumentException() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for text in ["not a policy", "{\"Version\": \"2012-10-17\"", "[{\"Effect\": \"Allow\"}]", "\"{}\"", "{} {}"] {
            let error = await kmsError {
                _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: text), caller: f.caller)
            }
            #expect(error == KMSError(.malformedPolicyDocument, ""), "\(text)")
        }
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller).policy == Self.awsDefaultPolicy)
        let before = try await f.repository.listKeyIds(accountId: "111122223333", region: "us-east-1", after: nil, limit: 100).count
        let error = await kmsError { _ = try await f.service.createKey(CreateKeyRequest(policy: "nope"), caller: f.caller) }
        #expect(error?.code == .malformedPolicyDocument)
        #expect(try await f.repository.listKeyIds(accountId: "111122223333", region: "us-east-1", after: nil, limit: 100).count == before)
    }

    @Test func policiesPast32KBAreRefusedWithLimitExceededException() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        func document(bytes: Int) -> String {
            let head = "{\"Version\":\"2012-10-17\",\"Id\":\""
            let tail = "\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"
            return head + String(repeating: "x", count: bytes - head.utf8.count - tail.utf8.count) + tail
        }
        let largest = document(bytes: 32_768)
        _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: largest), caller: f.caller)
        #expect(try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller).policy == largest)
        let error = await kmsError {
            _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policy: document(bytes: 32_769)), caller: f.caller)
        }
        #expect(error == KMSError(.limitExceeded, "Cannot exceed quota for PolicySize: 32768"))
        #expect(throws: KMSError.self) { try validateKeyPolicyDocument(document(bytes: 40_000)) }
        try validateKeyPolicyDocument(Self.policy)
    }

    @Test func theRequestShapesFollowTheModel() throws {
        // PolicyType's characters: tab, line feed, carriage return and printable Latin-1 only.
        #expect(throws: KMSError.self) { try PutKeyPolicyRequest(keyId: "k", policy: "{\u{1}}").validate() }
        #expect(throws: KMSError.self) { try PutKeyPolicyRequest(keyId: "k", policy: "{\"a\":\"\u{263A}\"}").validate() }
        try PutKeyPolicyRequest(keyId: "k", policy: "{\t\"a\":\r\n\"\u{E9}\"}").validate()
        #expect(throws: KMSError.self) { try PutKeyPolicyRequest(keyId: "k", policy: "").validate() }
        #expect(throws: KMSError.self) { try PutKeyPolicyRequest(keyId: "k", policy: String(repeating: " ", count: 131_073)).validate() }
        #expect(throws: KMSError.self) { try GetKeyPolicyRequest(keyId: "k", policyName: "not-a-word").validate() }
        #expect(throws: KMSError.self) { try ListKeyPoliciesRequest(keyId: "k", limit: 0).validate() }
        var create = CreateKeyRequest()
        create.policy = "\u{7}"
        #expect(throws: KMSError.self) { try create.validate() }
    }

    @Test func onlyTheDefaultPolicyNameExists() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        #expect(
            await kmsError { _ = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId, policyName: "other"), caller: f.caller) }
                == KMSError(.notFound, "No such policy exists"))
        #expect(
            await kmsError {
                _ = try await f.service.putKeyPolicy(PutKeyPolicyRequest(keyId: key.keyId, policyName: "other", policy: "{}"), caller: f.caller)
            }?.code == .unsupportedOperation)
    }

    @Test func keyPoliciesNameKeysByIdOrArnOnly() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/p", targetKeyId: key.keyId), caller: f.caller)
        #expect(await kmsError { _ = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: "alias/p"), caller: f.caller) }?.code == .notFound)
        // Another account's key: not reachable (cross-account use: No).
        let theirs = try await f.createKey(as: f.caller(account: "444455556666"))
        #expect(await kmsError { _ = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: theirs.arn), caller: f.caller) }?.code == .accessDenied)
    }

    @Test func theTrailRecordsPolicyChanges() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.putKeyPolicy(
            PutKeyPolicyRequest(keyId: key.keyId, policy: Self.policy, bypassPolicyLockoutSafetyCheck: true), caller: f.caller)
        _ = try await f.service.getKeyPolicy(GetKeyPolicyRequest(keyId: key.keyId), caller: f.caller)
        let events = try await f.repository.auditRecords(after: 0, limit: 100).map { try CloudTrailEvent.decode($0.entry.record) }
        let put = try #require(events.first { $0.eventName == "PutKeyPolicy" })
        #expect(!put.readOnly && put.resources.map(\.arn) == [key.arn])
        #expect(put.requestParameters[member: "policy"]?.stringValue == Self.policy)
        #expect(put.requestParameters[member: "policyName"]?.stringValue == "default")
        #expect(put.requestParameters[member: "bypassPolicyLockoutSafetyCheck"] == .bool(true))
        let get = try #require(events.first { $0.eventName == "GetKeyPolicy" })
        #expect(get.readOnly && get.errorCode == nil)
    }
}
