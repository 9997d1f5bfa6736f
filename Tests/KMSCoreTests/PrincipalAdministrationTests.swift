import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// The operator's principal changes: IAM's rules, clear refusals, and an audit record each.
struct PrincipalAdministrationTests {
    @Test func namesTagsAndDocumentsFollowIAMsRules() async throws {
        let f = ServiceFixture()
        let account = try #require(try await f.service.bootstrapAdministrator()).accountId
        func refusal(_ body: () async throws -> Void) async -> String? {
            do {
                try await body()
                return nil
            } catch let error as PrincipalAdministrationError {
                return error.description
            } catch {
                return "unexpected \(error)"
            }
        }
        _ = try await f.service.createUser(accountId: account, userName: "svc+build=1,a.b@c-d_e")
        _ = try await f.service.createUser(accountId: account, userName: String(repeating: "u", count: 64))
        for bad in ["", String(repeating: "u", count: 65), "has space", "slash/name", "é"] {
            #expect(await refusal { _ = try await f.service.createUser(accountId: account, userName: bad) }
                == "invalid user name '\(bad)': use 1 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -")
        }
        #expect(await refusal { _ = try await f.service.createUser(accountId: account, userName: "SVC+BUILD=1,A.B@C-D_E") }
            == "a user named SVC+BUILD=1,A.B@C-D_E already exists in account \(account) (names ignore case)")
        #expect(await refusal {
            _ = try await f.service.createUser(accountId: account, userName: "t", tags: [Tag(tagKey: "aws:x", tagValue: "")])
        } == "tag keys starting with aws: are reserved: 'aws:x'")
        #expect(await refusal {
            _ = try await f.service.createUser(
                accountId: account, userName: "t", tags: [Tag(tagKey: "K", tagValue: "1"), Tag(tagKey: "k", tagValue: "2")])
        } == "tag key 'k' given twice (tag keys ignore case)")

        #expect(await refusal { _ = try await f.service.createRole(accountId: account, roleName: "r", trustPolicy: "{nope") }?
            .hasPrefix("the trust policy document is not valid JSON") == true)
        #expect(await refusal {
            _ = try await f.service.createRole(
                accountId: account, roleName: "r", trustPolicy: #"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#)
        } == "the trust policy document is malformed: Missing required field Principal.")
        #expect(await refusal { _ = try await f.service.createRole(accountId: account, roleName: "r", trustPolicy: "[]") }
            == #"the trust policy document must be a JSON object ({"Version": …, "Statement": …})"#)
        #expect(await refusal { _ = try await f.service.createRole(accountId: account, roleName: "r", trustPolicy: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#, maxSessionDuration: 3599) }
            == "invalid maximum session duration 3599: it must be 3600 to 43200 seconds (1 to 12 hours)")
        #expect(await refusal {
            try await f.service.putPolicy(accountId: account, owner: .user("nobody"), policyName: "p", document: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#)
        } == "no user named nobody in account \(account)")
        #expect(await refusal {
            try await f.service.putPolicy(accountId: account, owner: .user("t2"), policyName: "bad name", document: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#)
        } == "invalid policy name 'bad name': use 1 to 128 of the characters A-Z a-z 0-9 _ + = , . @ -")
        #expect(await refusal { try await f.service.deleteAccessKey(accessKeyId: "AKIANOSUCHKEY0000000") } == "no access key AKIANOSUCHKEY0000000")
        #expect(await refusal { try await f.service.deleteRole(accountId: account, roleName: "nothing") }
            == "no role named nothing in account \(account)")
    }

    @Test func theAccountDefaultsToTheOnlyOne() async throws {
        let f = ServiceFixture()
        await #expect(throws: PrincipalAdministrationError.accountRequired(existing: [])) { try await f.service.resolveAccount(nil) }
        let first = try #require(try await f.service.bootstrapAdministrator()).accountId
        #expect(try await f.service.resolveAccount(nil) == first)
        let second = try await f.service.createAccount(audited: true).accountId
        #expect(try await f.service.resolveAccount(second) == second)
        await #expect(throws: PrincipalAdministrationError.accountRequired(existing: [first, second].sorted())) {
            try await f.service.resolveAccount(nil)
        }
        await #expect(throws: PrincipalAdministrationError.noSuchAccount("999999999999")) { try await f.service.resolveAccount("999999999999") }
        await #expect(throws: PrincipalAdministrationError.self) { try await f.service.resolveAccount("12345") }
        // A new account's root key works at once.
        let root = try await f.service.createAccount()
        #expect(try await f.service.resolve(root.accessKeyId, now: f.clock.now())?.principalArn == "arn:aws:iam::\(root.accountId):root")
    }

    @Test func aPrincipalHasAtMostTwoAccessKeys() async throws {
        let f = ServiceFixture()
        let admin = try #require(try await f.service.bootstrapAdministrator())
        _ = try await f.service.createUser(accountId: admin.accountId, userName: "alice")
        let one = try await f.service.createAccessKey(accountId: admin.accountId, userName: "alice")
        _ = try await f.service.createAccessKey(accountId: admin.accountId, userName: "alice")
        let arn = "arn:aws:iam::\(admin.accountId):user/alice"
        await #expect(throws: PrincipalAdministrationError.accessKeyLimit(principalArn: arn)) {
            _ = try await f.service.createAccessKey(accountId: admin.accountId, userName: "alice")
        }
        try await f.service.deleteAccessKey(accessKeyId: one.accessKeyId)
        _ = try await f.service.createAccessKey(accountId: admin.accountId, userName: "alice")
        _ = try await f.service.createAccessKey(accountId: admin.accountId, userName: nil)
        await #expect(throws: PrincipalAdministrationError.accessKeyLimit(principalArn: "arn:aws:iam::\(admin.accountId):root")) {
            _ = try await f.service.createAccessKey(accountId: admin.accountId, userName: nil)
        }
        #expect(try await f.service.accessKeys(accountId: admin.accountId, userName: "alice").count == 2)
        #expect(try await f.service.accessKeys(accountId: admin.accountId, userName: nil).count == 4)
    }

    @Test func everyChangeIsRecordedWithoutSecrets() async throws {
        let f = ServiceFixture()
        let admin = try #require(try await f.service.bootstrapAdministrator())
        #expect(try await f.repository.auditRecords(after: 0, limit: 10).isEmpty, "the first start's administrator is not recorded, as before")
        let account = admin.accountId
        _ = try await f.service.createUser(accountId: account, userName: "alice", tags: [Tag(tagKey: "team", tagValue: "blue")])
        let key = try await f.service.createAccessKey(accountId: account, userName: "alice")
        try await f.service.putPolicy(accountId: account, owner: .user("alice"), policyName: "p", document: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#)
        _ = try await f.service.createRole(accountId: account, roleName: "r", trustPolicy: #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#)
        try await f.service.putPolicy(accountId: account, owner: .role("r"), policyName: "q", document: #"{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}"#)
        try await f.service.deletePolicy(accountId: account, owner: .role("r"), policyName: "q")
        try await f.service.deleteRole(accountId: account, roleName: "r")
        try await f.service.deleteAccessKey(accessKeyId: key.accessKeyId)
        try await f.service.deleteUser(accountId: account, userName: "alice")
        let other = try await f.service.createAccount(audited: true)

        let records = try await f.repository.auditRecords(after: 0, limit: 100)
        #expect(records.map(\.entry.eventName) == [
            "CreateUser", "CreateAccessKey", "PutUserPolicy", "CreateRole", "PutRolePolicy", "DeleteRolePolicy", "DeleteRole",
            "DeleteAccessKey", "DeleteUser", "CreateAccount",
        ])
        for record in records {
            let text = String(decoding: record.entry.record, as: UTF8.self)
            #expect(!text.contains(key.secretAccessKey) && !text.contains(other.secretAccessKey))
            let json = try #require(try JSONSerialization.jsonObject(with: record.entry.record) as? [String: Any])
            #expect((json["userIdentity"] as? [String: String])?["invokedBy"] == "trent iam")
            let source = json["eventSource"] as? String
            #expect(source == (record.entry.eventName == "CreateAccount" ? "organizations.amazonaws.com" : "iam.amazonaws.com"))
        }
        let created = try #require(try JSONSerialization.jsonObject(with: records[0].entry.record) as? [String: Any])
        #expect((created["requestParameters"] as? [String: Any])?["userName"] as? String == "alice")
    }
}
