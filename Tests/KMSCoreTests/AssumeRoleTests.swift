import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

/// AssumeRole's refusals with AWS's texts, and the interim authorizer's decisions.
struct AssumeRoleTests {
    typealias World = PrincipalResolutionTests.World

    @Test func refusalsUseAWSTexts() async throws {
        let w = try await World()
        let alice = try await w.caller(w.alice)
        let root = try await w.caller(w.admin)
        func refusal(_ request: AssumeRoleRequest, as caller: Caller) async -> KMSError? {
            await kmsError { _ = try await w.f.service.assumeRole(request, caller: caller) }
        }
        #expect(await refusal(AssumeRoleRequest(roleArn: w.reader.arn, roleSessionName: "s"), as: root)
            == KMSError(.accessDenied, "Roles may not be assumed by root accounts."))
        for arn in ["arn:aws:iam::\(w.account):role/nobody", "arn:aws:iam::\(w.account):user/alice", "arn:aws:iam:\(w.account):role/reader"] {
            #expect(await refusal(AssumeRoleRequest(roleArn: arn, roleSessionName: "s1"), as: alice)
                == KMSError(.accessDenied,
                    "User: arn:aws:iam::\(w.account):user/alice is not authorized to perform: sts:AssumeRole on resource: \(arn)"))
        }
        #expect(await refusal(AssumeRoleRequest(roleArn: w.reader.arn, roleSessionName: "s1", durationSeconds: 7201), as: alice)
            == KMSError(.validation, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
        #expect(try await w.f.service.assumeRole(
            AssumeRoleRequest(roleArn: w.reader.arn, roleSessionName: "long", durationSeconds: 7200), caller: alice
        ).credentials.expiration == w.f.clock.now().addingTimeInterval(7200))

        var withPolicy = AssumeRoleRequest(roleArn: w.reader.arn, roleSessionName: "s1")
        withPolicy.policy = "{}"
        #expect(await refusal(withPolicy, as: alice)?.message == "Trent's AssumeRole does not support session policies (Policy, PolicyArns) yet.")
        var withTags = AssumeRoleRequest(roleArn: w.reader.arn, roleSessionName: "s1")
        withTags.tags = [Tag(tagKey: "a", tagValue: "b")]
        #expect(await refusal(withTags, as: alice)?.code == .validation)
    }

    @Test func roleChainingIsLimitedToAnHour() async throws {
        let w = try await World()
        // The reader role may assume itself, so its sessions can chain.
        let trust = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::A:user/alice","arn:aws:iam::A:role/chain"]},"Action":"sts:AssumeRole"}]}"#
        let chain = try await w.f.service.createRole(
            accountId: w.account, roleName: "chain", trustPolicy: trust.replacingOccurrences(of: "::A:", with: "::\(w.account):"),
            maxSessionDuration: 43200)
        let first = try await w.f.service.assumeRole(
            AssumeRoleRequest(roleArn: chain.arn, roleSessionName: "first", durationSeconds: 43200), caller: try await w.caller(w.alice))
        let session = try #require(try await w.f.service.resolve(
            first.credentials.accessKeyId, token: first.credentials.sessionToken, now: w.f.clock.now()))
        let tooLong = await kmsError {
            _ = try await w.f.service.assumeRole(
                AssumeRoleRequest(roleArn: chain.arn, roleSessionName: "second", durationSeconds: 3601), caller: session)
        }
        #expect(tooLong == KMSError(.validation, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."))
        let second = try await w.f.service.assumeRole(AssumeRoleRequest(roleArn: chain.arn, roleSessionName: "second"), caller: session)
        #expect(second.assumedRoleUser.arn == "arn:aws:sts::\(w.account):assumed-role/chain/second")
    }

    @Test func validationFollowsTheAPIModel() {
        func message(_ request: AssumeRoleRequest) -> String? {
            var v = Validation()
            request.validate(into: &v)
            return v.error?.message
        }
        #expect(message(AssumeRoleRequest()) ==
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
        #expect(message(AssumeRoleRequest(roleArn: "arn:aws:iam::111122223333:role/r", roleSessionName: "a/b")) ==
            #"1 validation error detected: Value 'a/b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"#)
        #expect(message(AssumeRoleRequest(roleArn: "arn:aws:iam::111122223333:role/r", roleSessionName: "s", durationSeconds: 899)) ==
            "2 validation errors detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; "
            + "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
        #expect(message(AssumeRoleRequest(roleArn: "arn:aws:iam::111122223333:role/r", roleSessionName: "ok", durationSeconds: 43201)) ==
            "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")
        #expect(message(AssumeRoleRequest(roleArn: "short", roleSessionName: String(repeating: "x", count: 65))) ==
            "2 validation errors detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "
            + "Value '\(String(repeating: "x", count: 65))' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64")
        #expect(message(AssumeRoleRequest(roleArn: "arn:aws:iam::111122223333:role/r", roleSessionName: "user@example.com,=+.-_")) == nil)
    }
}

/// AssumeRole's decision: trust policy and, through account delegation or across accounts,
/// identity policies; Deny wins; conditions see the request's values.
struct TrustPolicyAuthorizerTests {
    let authorizer = TrustPolicyAuthorizer()
    let role = RoleRecord(
        accountId: "111122223333", roleName: "target", roleId: "AROAEXAMPLE0000000001", trustPolicy: "", maxSessionDuration: 3600,
        tags: [], createdAt: Date())

    func user(_ account: String = "111122223333", policies: [String] = []) -> Caller {
        Caller.user(
            accountId: account, userName: "alice", userId: "AIDAEXAMPLE0000000001", region: "us-east-1", accessKeyId: "AKIAX", tags: [:],
            identityPolicies: policies.enumerated().map { Caller.IdentityPolicy(name: "p\($0.offset)", document: $0.element) })
    }

    func decide(_ trust: String, _ caller: Caller) -> Bool {
        var role = role
        role.trustPolicy = trust
        return authorizer.authorize(AssumeRoleAuthorization(caller: caller, role: role, conditionValues: [:])) == .allowed
    }

    func trust(_ principal: String, effect: String = "Allow", action: String = #""sts:AssumeRole""#, extra: String = "") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"\#(effect)","Principal":\#(principal),"Action":\#(action)\#(extra)}]}"#
    }

    let allowAssume = #"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/*"}}"#

    @Test func aTrustPolicyNamingTheCallerIsEnoughInItsAccount() {
        #expect(decide(trust(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#), user()))
        #expect(decide(trust(#"{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:user/alice"]}"#), user()))
        #expect(decide(trust(#""*""#), user()))
        #expect(decide(trust(#"{"AWS":"*"}"#), user()))
        #expect(decide(trust(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, action: #"["sts:*"]"#), user()))
        #expect(!decide(trust(#"{"AWS":"arn:aws:iam::111122223333:user/bob"}"#), user()))
        #expect(!decide(trust(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, action: #""kms:*""#), user()))
        #expect(!decide(trust(#"{"Service":"ec2.amazonaws.com"}"#), user()))
        #expect(!decide("not json", user()))
    }

    @Test func accountDelegationAlsoNeedsTheCallersIdentityPolicy() {
        for principal in [#"{"AWS":"arn:aws:iam::111122223333:root"}"#, #"{"AWS":"111122223333"}"#] {
            #expect(!decide(trust(principal), user()))
            #expect(decide(trust(principal), user(policies: [allowAssume])))
            #expect(!decide(trust(principal), user(policies: [
                #"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/other"}}"#,
            ])))
        }
    }

    @Test func anotherAccountAlwaysNeedsItsIdentityPolicy() {
        let stranger = user("444455556666")
        let named = trust(#"{"AWS":"arn:aws:iam::444455556666:user/alice"}"#)
        #expect(!decide(named, stranger))
        #expect(decide(named, user("444455556666", policies: [allowAssume])))
        #expect(!decide(trust(#"{"AWS":"arn:aws:iam::111122223333:root"}"#), user("444455556666", policies: [allowAssume])))
    }

    @Test func denyWinsAndConditionsSeeTheRequest() {
        let both = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}"#
        #expect(!decide(both, user()))
        let deniedByIdentity = user(policies: [#"{"Statement":{"Effect":"Deny","Action":"sts:*","Resource":"*"}}"#])
        #expect(!decide(trust(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#), deniedByIdentity))
        #expect(!decide(
            trust(#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, extra: #","Condition":{"StringEquals":{"sts:ExternalId":"x"}}"#),
            user()))
        // NotAction allows every action it does not list, sts:AssumeRole included.
        #expect(decide(trust(#"{"AWS":"arn:aws:iam::111122223333:root"}"#), user(policies: [
            #"{"Statement":{"Effect":"Allow","NotAction":"kms:*","Resource":"*"}}"#,
        ])))
        var role = role
        role.trustPolicy = trust(
            #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, extra: #","Condition":{"StringEquals":{"sts:ExternalId":"x"}}"#)
        #expect(
            authorizer.authorize(AssumeRoleAuthorization(caller: user(), role: role, conditionValues: ["sts:ExternalId": ["x"]]))
                == .allowed)
    }

    @Test func aSessionIsNamedByItsRoleOrItsOwnArn() {
        let session = Caller.assumedRole(
            accountId: "111122223333",
            session: Caller.Session(
                roleArn: "arn:aws:iam::111122223333:role/source", roleId: "AROASOURCE00000000001", roleName: "source",
                sessionName: "s", issuedAt: Date(), expiration: Date()),
            region: "us-east-1", accessKeyId: "ASIAX", tags: [:], identityPolicies: [])
        #expect(decide(trust(#"{"AWS":"arn:aws:iam::111122223333:role/source"}"#), session))
        #expect(decide(trust(#"{"AWS":"arn:aws:sts::111122223333:assumed-role/source/s"}"#), session))
        #expect(!decide(trust(#"{"AWS":"arn:aws:iam::111122223333:role/other"}"#), session))
    }
}
