import Foundation
import KMSAudit
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// Access keys and session tokens resolve to rich callers, and a principal change is seen on
/// the very next lookup, also when another process (another repository on the same SQLite
/// file) made it.
struct PrincipalResolutionTests {
    /// An identity policy that allows every KMS action on every key.
    static let allowKMS = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#
    static let trustAlice = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:user/alice"},"Action":"sts:AssumeRole"}]}"#

    /// An account with a user alice (tagged, one policy, one access key) and a role reader she may assume.
    struct World {
        let f: ServiceFixture
        let admin: IssuedCredential
        let alice: IssuedCredential
        let reader: RoleRecord
        var account: String { admin.accountId }

        init(repository: any KeyRepository = MemoryKeyRepository()) async throws {
            f = ServiceFixture(repository: repository)
            admin = try #require(try await f.service.bootstrapAdministrator())
            let account = admin.accountId
            _ = try await f.service.createUser(accountId: account, userName: "alice", tags: [Tag(tagKey: "team", tagValue: "blue")])
            try await f.service.putPolicy(accountId: account, owner: .user("alice"), policyName: "use-keys", document: allowKMS)
            alice = try await f.service.createAccessKey(accountId: account, userName: "alice")
            reader = try await f.service.createRole(
                accountId: account, roleName: "reader", trustPolicy: trustAlice.replacingOccurrences(of: "ACCOUNT", with: account),
                maxSessionDuration: 7200, tags: [Tag(tagKey: "tier", tagValue: "read")])
            try await f.service.putPolicy(accountId: account, owner: .role("reader"), policyName: "read", document: allowKMS)
        }

        func caller(_ issued: IssuedCredential) async throws -> Caller {
            try #require(try await f.service.resolve(issued.accessKeyId, now: f.clock.now()))
        }

        func session(_ name: String = "s1", duration: Int? = nil) async throws -> AssumeRoleResponse {
            try await f.service.assumeRole(
                AssumeRoleRequest(roleArn: reader.arn, roleSessionName: name, durationSeconds: duration), caller: try await caller(alice))
        }
    }

    @Test func rootUserAndSessionResolveToTheirKinds() async throws {
        let w = try await World()
        let root = try await w.caller(w.admin)
        #expect(root == Caller.accountRoot(w.account, region: "us-east-1", accessKeyId: w.admin.accessKeyId))

        let alice = try await w.caller(w.alice)
        #expect(alice.kind == .user)
        #expect(alice.principalArn == "arn:aws:iam::\(w.account):user/alice")
        #expect(alice.principalId.hasPrefix("AIDA") && alice.principalId.count == 21)
        #expect(alice.userName == "alice")
        #expect(alice.tags == ["team": "blue"])
        #expect(alice.identityPolicies == [Caller.IdentityPolicy(name: "use-keys", document: Self.allowKMS)])
        #expect(alice.session == nil)

        let assumed = try await w.session()
        #expect(assumed.credentials.accessKeyId.hasPrefix("ASIA") && assumed.credentials.accessKeyId.count == 20)
        #expect(assumed.credentials.secretAccessKey.count == 40)
        #expect(assumed.credentials.expiration == w.f.clock.now().addingTimeInterval(3600))
        #expect(assumed.assumedRoleUser.arn == "arn:aws:sts::\(w.account):assumed-role/reader/s1")
        #expect(assumed.assumedRoleUser.assumedRoleId == "\(w.reader.roleId):s1")
        let session = try #require(
            try await w.f.service.resolve(
                assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken, now: w.f.clock.now()))
        #expect(session.kind == .assumedRole)
        #expect(session.principalArn == assumed.assumedRoleUser.arn)
        #expect(session.principalId == assumed.assumedRoleUser.assumedRoleId)
        #expect(session.accountId == w.account)
        #expect(session.tags == ["tier": "read"])
        #expect(session.identityPolicies.map(\.name) == ["read"])
        #expect(session.session?.roleArn == w.reader.arn)
        #expect(session.session?.sessionName == "s1")
        #expect(session.session?.expiration == assumed.credentials.expiration)

        for (caller, userId, arn) in [
            (root, w.account, "arn:aws:iam::\(w.account):root"), (alice, alice.principalId, alice.principalArn),
            (session, assumed.assumedRoleUser.assumedRoleId, assumed.assumedRoleUser.arn),
        ] {
            let identity = try await w.f.service.getCallerIdentity(caller: caller)
            #expect(identity == GetCallerIdentityResponse(userId: userId, account: w.account, arn: arn))
        }
    }

    @Test func sessionsExpireAndEndWithTheirRole() async throws {
        let w = try await World()
        let assumed = try await w.session(duration: 900)
        let key = assumed.credentials.accessKeyId
        let token = assumed.credentials.sessionToken
        w.f.clock.advance(by: 899)
        #expect(try await w.f.service.resolve(key, token: token, now: w.f.clock.now()) != nil)
        w.f.clock.advance(by: 1)
        let expired = await kmsError { _ = try await w.f.service.resolve(key, token: token, now: w.f.clock.now()) }
        #expect(expired == KMSError(.expiredToken, "The security token included in the request is expired"))

        // Another session, then its role goes: the session goes with it, also when made again.
        let second = try await w.session("s2")
        try await w.f.service.deleteRole(accountId: w.account, roleName: "reader")
        let gone = await kmsError {
            _ = try await w.f.service.resolve(second.credentials.accessKeyId, token: second.credentials.sessionToken, now: w.f.clock.now())
        }
        #expect(gone == KMSError(.unrecognizedClient, "The security token included in the request is invalid."))
        _ = try await w.f.service.createRole(
            accountId: w.account, roleName: "reader", trustPolicy: Self.trustAlice.replacingOccurrences(of: "ACCOUNT", with: w.account))
        let recreated = await kmsError {
            _ = try await w.f.service.resolve(second.credentials.accessKeyId, token: second.credentials.sessionToken, now: w.f.clock.now())
        }
        #expect(recreated?.code == .unrecognizedClient, "a role made again has another id; old sessions stay dead")
    }

    @Test func aTokenOpensOnlyWithItsOwnAccessKeyId() async throws {
        let w = try await World()
        let one = try await w.session("one")
        let two = try await w.session("two")
        let swapped = await kmsError {
            _ = try await w.f.service.resolve(one.credentials.accessKeyId, token: two.credentials.sessionToken, now: w.f.clock.now())
        }
        #expect(swapped?.code == .unrecognizedClient)
        let longTermWithToken = await kmsError {
            _ = try await w.f.service.resolve(w.alice.accessKeyId, token: one.credentials.sessionToken, now: w.f.clock.now())
        }
        #expect(longTermWithToken?.code == .unrecognizedClient)
        #expect(try await w.f.service.resolve(one.credentials.accessKeyId, now: w.f.clock.now()) == nil,
            "a temporary key without its token is no long-term key")
    }

    /// The server and the operator are two processes on one SQLite file: the server's cache
    /// must see every change the operator makes on its next lookup.
    @Test func changesByAnotherProcessAreSeenOnTheNextLookup() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        let w = try await World(repository: CachingKeyRepository(try SQLiteKeyRepository(path: path)))
        let operatorService = KeyManagementService(repository: try SQLiteKeyRepository(path: path), rootKey: w.f.rootKey, clock: w.f.clock)
        let server = w.f.service
        let now = w.f.clock.now()

        // Warm the server's caches.
        #expect(try await server.resolve(w.alice.accessKeyId, now: now)?.identityPolicies.count == 1)
        let assumed = try await w.session()
        #expect(try await server.resolve(assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken, now: now) != nil)

        try await operatorService.putPolicy(accountId: w.account, owner: .user("alice"), policyName: "second", document: Self.allowKMS)
        #expect(try await server.resolve(w.alice.accessKeyId, now: now)?.identityPolicies.map(\.name) == ["second", "use-keys"])
        try await operatorService.deletePolicy(accountId: w.account, owner: .role("reader"), policyName: "read")
        #expect(try await server.resolve(assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken, now: now)?
            .identityPolicies == [])

        try await operatorService.deleteAccessKey(accessKeyId: w.alice.accessKeyId)
        #expect(try await server.resolve(w.alice.accessKeyId, now: now) == nil)
        try await operatorService.deleteRole(accountId: w.account, roleName: "reader")
        let gone = await kmsError {
            _ = try await server.resolve(assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken, now: now)
        }
        #expect(gone?.code == .unrecognizedClient)

        let fresh = try await operatorService.createAccessKey(accountId: w.account, userName: "alice")
        #expect(try await server.resolve(fresh.accessKeyId, now: now)?.principalArn == "arn:aws:iam::\(w.account):user/alice")
        try await operatorService.deleteUser(accountId: w.account, userName: "alice")
        #expect(try await server.resolve(fresh.accessKeyId, now: now) == nil)
    }

    /// The change file is looked at once for every request that had arrived before the look:
    /// such a request may still be served with the principals as they were (it raced with
    /// the change), but one that arrives after the change never is.
    @Test func aChangeAppliesToEveryRequestThatArrivesAfterIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-\(UUID().uuidString).sqlite").path
        let w = try await World(repository: CachingKeyRepository(try SQLiteKeyRepository(path: path)))
        let operatorService = KeyManagementService(repository: try SQLiteKeyRepository(path: path), rootKey: w.f.rootKey, clock: w.f.clock)
        let server = w.f.service

        let arrivedBefore = ContinuousClock.now
        #expect(try await server.credential(accessKeyId: w.alice.accessKeyId, receivedAt: arrivedBefore) != nil)
        try await operatorService.deleteAccessKey(accessKeyId: w.alice.accessKeyId)
        #expect(
            try await server.credential(accessKeyId: w.alice.accessKeyId, receivedAt: arrivedBefore) != nil,
            "the file was last looked at after this request arrived")
        #expect(try await server.credential(accessKeyId: w.alice.accessKeyId, receivedAt: .now) == nil)
        #expect(try await server.credential(accessKeyId: w.alice.accessKeyId, receivedAt: arrivedBefore) == nil)
    }

    @Test func auditRecordsShowEachKindOfCallerAsCloudTrailDoes() async throws {
        let w = try await World()
        let assumed = try await w.session()
        let session = try #require(
            try await w.f.service.resolve(assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken, now: w.f.clock.now()))
        _ = try await w.f.createKey(as: session)
        let created = try await newestRecord(w.f.repository)
        #expect(created["eventSource"] as? String == "kms.amazonaws.com")
        let identity = try #require(created["userIdentity"] as? [String: Any])
        #expect(identity["type"] as? String == "AssumedRole")
        #expect(identity["principalId"] as? String == "\(w.reader.roleId):s1")
        #expect(identity["arn"] as? String == "arn:aws:sts::\(w.account):assumed-role/reader/s1")
        #expect(identity["accountId"] as? String == w.account)
        #expect(identity["accessKeyId"] as? String == assumed.credentials.accessKeyId)
        let context = try #require(identity["sessionContext"] as? [String: Any])
        #expect(context["sessionIssuer"] as? [String: String] == [
            "type": "Role", "principalId": w.reader.roleId, "arn": w.reader.arn, "accountId": w.account, "userName": "reader",
        ])
        #expect(context["attributes"] as? [String: String] == [
            "creationDate": CloudTrailTime.format(w.f.clock.now()), "mfaAuthenticated": "false",
        ])

        let alice = try await w.caller(w.alice)
        _ = try await w.f.createKey(as: alice)
        let byAlice = try #require(try await newestRecord(w.f.repository)["userIdentity"] as? [String: Any])
        #expect(byAlice["type"] as? String == "IAMUser")
        #expect(byAlice["principalId"] as? String == alice.principalId)
        #expect(byAlice["userName"] as? String == "alice")
        #expect(byAlice["sessionContext"] == nil)

        // The AssumeRole itself: an STS record naming the role, never the secret or the token.
        let records = try await w.f.repository.latestAuditRecords(matching: AuditFilter(eventNames: ["AssumeRole"]), limit: 1)
        let assume = try #require(records.first)
        let json = try #require(try JSONSerialization.jsonObject(with: assume.entry.record) as? [String: Any])
        #expect(json["eventSource"] as? String == "sts.amazonaws.com")
        #expect(json["readOnly"] as? Bool == true)
        #expect((json["resources"] as? [[String: String]])?.first == ["ARN": w.reader.arn, "accountId": w.account, "type": "AWS::IAM::Role"])
        #expect((json["requestParameters"] as? [String: Any])?["roleSessionName"] as? String == "s1")
        let text = String(decoding: assume.entry.record, as: UTF8.self)
        #expect(!text.contains(assumed.credentials.secretAccessKey))
        #expect(!text.contains(assumed.credentials.sessionToken))
        #expect(text.contains(assumed.credentials.accessKeyId))
    }

    func newestRecord(_ repository: any KeyRepository) async throws -> [String: Any] {
        let record = try #require(try await repository.newestAuditRecord())
        return try #require(try JSONSerialization.jsonObject(with: record.entry.record) as? [String: Any])
    }
}
