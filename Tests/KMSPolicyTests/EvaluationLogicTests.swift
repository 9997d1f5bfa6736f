import KMSPolicy
import Testing

@Suite("Evaluation logic")
struct EvaluationLogicTests {
    static let allowKms = #"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#

    // MARK: Key policy alone

    @Test("A key policy naming the caller allows without any identity policy")
    func directAllow() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#, actions: #"["kms:Decrypt"]"#, sid: "Alice"))
        let decision = evaluate(request(Fixture.alice), keyPolicy: policy)
        #expect(decision.isAllowed)
        #expect(decision.reason == .resourcePolicyAllows(StatementReference(policy: .keyPolicy, index: 0, sid: "Alice")))
        #expect(!evaluate(request(Fixture.alice, "kms:Encrypt"), keyPolicy: policy).isAllowed)
    }

    @Test("The default key policy delegates to IAM: users need an identity policy, the root user does not")
    func defaultKeyPolicy() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        let withoutIdentity = evaluate(request(Fixture.alice), keyPolicy: policy)
        #expect(!withoutIdentity.isAllowed)
        let allow = try identityPolicy("KmsUser", Self.allowKms)
        let withIdentity = evaluate(request(Fixture.alice), keyPolicy: policy, identity: [allow])
        #expect(withIdentity.isAllowed)
        #expect(
            withIdentity.reason
                == .resourceAndIdentityPolicyAllow(
                    resource: StatementReference(policy: .keyPolicy, index: 0, sid: "Enable IAM User Permissions"),
                    identity: StatementReference(policy: .identityPolicy(name: "KmsUser"), index: 0, sid: nil)))
        #expect(evaluate(request(Fixture.root), keyPolicy: policy).isAllowed)
        #expect(evaluate(request(Fixture.adminSession), keyPolicy: policy, identity: [allow]).isAllowed)
    }

    @Test("Without a key policy statement for the account, identity policies allow nothing, even for the root user")
    func identityAloneIsNotEnough() throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"arn:aws:iam::111122223333:user/bob"}"#))
        let allow = try identityPolicy("admin", #"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.alice), keyPolicy: policy, identity: [allow])
        #expect(!decision.isAllowed)
        #expect(decision.reason == .noResourcePolicyAllows(.keyPolicy))
        #expect(!evaluate(request(Fixture.root), keyPolicy: policy).isAllowed)
    }

    @Test("No key policy at all: only grants can allow")
    func noKeyPolicy() {
        #expect(!evaluate(request(Fixture.root), keyPolicy: nil).isAllowed)
        let grant = GrantRule(grantId: "g1", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt"])
        #expect(evaluate(request(Fixture.alice), keyPolicy: nil, grants: [grant]).isAllowed)
    }

    @Test("An identity policy must allow the action on this key")
    func identityPolicyScope() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        let otherKeyOnly = try identityPolicy(
            "p", #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"\#(Fixture.otherKeyArn)"}"#)
        let encryptOnly = try identityPolicy("q", #"{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}"#)
        #expect(!evaluate(request(Fixture.alice), keyPolicy: policy, identity: [otherKeyOnly, encryptOnly]).isAllowed)
    }

    // MARK: Explicit deny

    @Test("An explicit deny in the key policy beats an allow for the same caller")
    func denyInKeyPolicyWins() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#) + ","
                + #"{"Sid":"NoDecrypt","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:Decrypt","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.alice), keyPolicy: policy)
        #expect(!decision.isAllowed)
        #expect(decision.reason == .explicitDeny(StatementReference(policy: .keyPolicy, index: 1, sid: "NoDecrypt")))
        #expect(evaluate(request(Fixture.bob), keyPolicy: policy).isAllowed)
    }

    @Test("A deny naming the account applies to every principal in it, the root user included")
    func denyForAccount() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#) + ","
                + #"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:ScheduleKeyDeletion","Resource":"*"}"#)
        for caller in [Fixture.alice, Fixture.adminSession, Fixture.root] {
            #expect(!evaluate(request(caller, "kms:ScheduleKeyDeletion"), keyPolicy: policy).isAllowed)
            #expect(evaluate(request(caller, "kms:DescribeKey"), keyPolicy: policy).isAllowed)
        }
    }

    @Test("An explicit deny in an identity policy beats a key policy that names the caller")
    func denyInIdentityPolicyWins() throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#))
        let deny = try identityPolicy(
            "NoDecrypt",
            #"{"Effect":"Allow","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.alice), keyPolicy: policy, identity: [deny])
        #expect(!decision.isAllowed)
        #expect(decision.reason == .explicitDeny(StatementReference(policy: .identityPolicy(name: "NoDecrypt"), index: 1, sid: nil)))
    }

    @Test("An explicit deny beats a grant")
    func denyBeatsGrant() throws {
        let policy = try keyPolicy(
            #"{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringNotEquals":{"kms:EncryptionContext:app":"web"}}}"#)
        let grant = GrantRule(grantId: "g1", granteePrincipal: Fixture.alice.arn, operations: ["Decrypt"])
        let denied = evaluate(
            request(Fixture.alice, context: ConditionContext.with(["kms:EncryptionContext:app": "batch"])), keyPolicy: policy,
            grants: [grant])
        #expect(!denied.isAllowed)
        let allowed = evaluate(
            request(Fixture.alice, context: ConditionContext.with(["kms:EncryptionContext:app": "web"])), keyPolicy: policy,
            grants: [grant])
        #expect(allowed.isAllowed)
        #expect(allowed.reason == .grantAllows(grantId: "g1"))
    }

    @Test("A deny whose condition does not hold does not deny")
    func conditionalDeny() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#) + ","
                + #"{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#)
        #expect(evaluate(request(Fixture.alice, context: .with(["aws:SecureTransport": "true"])), keyPolicy: policy).isAllowed)
        #expect(!evaluate(request(Fixture.alice, context: .with(["aws:SecureTransport": "false"])), keyPolicy: policy).isAllowed)
    }

    // MARK: Cross-account

    @Test("Another account: the key policy must allow it and the caller's identity policy must agree")
    func crossAccount() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #"{"AWS":"arn:aws:iam::111122223333:root"}"#) + ","
                + allowStatement(principal: #"{"AWS":"arn:aws:iam::444455556666:root"}"#, actions: #"["kms:Decrypt"]"#, sid: "External"))
        let carolPolicy = try identityPolicy(
            "UseSharedKey", #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"\#(Fixture.keyArn)"}"#)

        let withoutIdentity = evaluate(request(Fixture.carol), keyPolicy: policy)
        #expect(!withoutIdentity.isAllowed)
        #expect(withoutIdentity.reason == .noIdentityPolicyAllows(delegatedBy: StatementReference(policy: .keyPolicy, index: 1, sid: "External")))

        #expect(evaluate(request(Fixture.carol), keyPolicy: policy, identity: [carolPolicy]).isAllowed)
        #expect(!evaluate(request(Fixture.carol, "kms:Encrypt"), keyPolicy: policy, identity: [carolPolicy]).isAllowed)
        // The other account's root user has no identity policies to consult.
        #expect(evaluate(request(Fixture.otherRoot), keyPolicy: policy).isAllowed)
    }

    @Test("Another account: naming the external user directly still needs its identity policy")
    func crossAccountDirectName() throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"arn:aws:iam::444455556666:user/carol"}"#))
        #expect(!evaluate(request(Fixture.carol), keyPolicy: policy).isAllowed)
        let carolPolicy = try identityPolicy("p", Self.allowKms)
        #expect(evaluate(request(Fixture.carol), keyPolicy: policy, identity: [carolPolicy]).isAllowed)
    }

    @Test("Another account: Principal * admits it, and its identity policy decides")
    func crossAccountEveryone() throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"*"}"#))
        #expect(!evaluate(request(Fixture.otherSession), keyPolicy: policy).isAllowed)
        let readerPolicy = try identityPolicy("p", Self.allowKms)
        #expect(evaluate(request(Fixture.otherSession), keyPolicy: policy, identity: [readerPolicy]).isAllowed)
    }

    @Test("Another account not in the key policy is refused even with an identity policy")
    func crossAccountNotAllowed() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        let carolPolicy = try identityPolicy("p", #"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.carol), keyPolicy: policy, identity: [carolPolicy])
        #expect(!decision.isAllowed)
        #expect(decision.reason == .noResourcePolicyAllows(.keyPolicy))
        #expect(!evaluate(request(Fixture.otherRoot), keyPolicy: policy).isAllowed)
    }

    // MARK: Operations without a key

    @Test("Operations without a key: identity policies decide; the root user is allowed")
    func identityOnly() throws {
        let createKey = AuthorizationRequest(principal: Fixture.alice, action: "kms:CreateKey", resource: "*")
        let none = PolicyEvaluator.evaluateIdentityOnly(createKey, identityPolicies: [])
        #expect(!none.isAllowed)
        #expect(none.reason == .noIdentityPolicyAllows(delegatedBy: nil))

        let allow = try identityPolicy("Create", #"{"Sid":"Create","Effect":"Allow","Action":"kms:Create*","Resource":"*"}"#)
        let allowed = PolicyEvaluator.evaluateIdentityOnly(createKey, identityPolicies: [allow])
        #expect(allowed.reason == .identityPolicyAllows(StatementReference(policy: .identityPolicy(name: "Create"), index: 0, sid: "Create")))

        let deny = try identityPolicy("NoCreate", #"{"Effect":"Deny","Action":"kms:CreateKey","Resource":"*"}"#)
        #expect(!PolicyEvaluator.evaluateIdentityOnly(createKey, identityPolicies: [allow, deny]).isAllowed)

        let asRoot = AuthorizationRequest(principal: Fixture.root, action: "kms:ListKeys", resource: "*")
        let root = PolicyEvaluator.evaluateIdentityOnly(asRoot, identityPolicies: [])
        #expect(root.isAllowed)
        #expect(root.reason == .accountRoot)
    }

    // MARK: Trust policies

    func assumeRole(_ caller: RequestPrincipal) -> AuthorizationRequest {
        AuthorizationRequest(
            principal: caller, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Admin",
            resourceAccount: Fixture.account)
    }

    @Test("A trust policy naming the caller lets it assume the role; naming the account needs an identity policy")
    func trust() throws {
        let namesAlice = try parse(
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}}"#,
            .trust)
        #expect(PolicyEvaluator.evaluateTrust(assumeRole(Fixture.alice), trustPolicy: namesAlice, roleAccount: Fixture.account, identityPolicies: []).isAllowed)
        #expect(!PolicyEvaluator.evaluateTrust(assumeRole(Fixture.bob), trustPolicy: namesAlice, roleAccount: Fixture.account, identityPolicies: []).isAllowed)

        let namesAccount = try parse(
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#,
            .trust)
        let mayAssume = try identityPolicy("assume", #"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/*"}"#)
        #expect(!PolicyEvaluator.evaluateTrust(assumeRole(Fixture.bob), trustPolicy: namesAccount, roleAccount: Fixture.account, identityPolicies: []).isAllowed)
        #expect(PolicyEvaluator.evaluateTrust(assumeRole(Fixture.bob), trustPolicy: namesAccount, roleAccount: Fixture.account, identityPolicies: [mayAssume]).isAllowed)
        // Another account needs both sides.
        let namesOther = try parse(
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/carol"},"Action":"sts:AssumeRole"}}"#,
            .trust)
        #expect(!PolicyEvaluator.evaluateTrust(assumeRole(Fixture.carol), trustPolicy: namesOther, roleAccount: Fixture.account, identityPolicies: []).isAllowed)
        #expect(PolicyEvaluator.evaluateTrust(assumeRole(Fixture.carol), trustPolicy: namesOther, roleAccount: Fixture.account, identityPolicies: [mayAssume]).isAllowed)
    }

    @Test("A deny in the trust policy or the caller's identity policy refuses AssumeRole")
    func trustDeny() throws {
        let trust = try parse(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:*"}]}"#,
            .trust)
        let decision = PolicyEvaluator.evaluateTrust(assumeRole(Fixture.bob), trustPolicy: trust, roleAccount: Fixture.account, identityPolicies: [])
        #expect(decision.reason == .explicitDeny(StatementReference(policy: .trustPolicy, index: 1, sid: nil)))
        #expect(PolicyEvaluator.evaluateTrust(assumeRole(Fixture.alice), trustPolicy: trust, roleAccount: Fixture.account, identityPolicies: []).isAllowed)
        let noAssume = try identityPolicy("no", #"{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}"#)
        #expect(!PolicyEvaluator.evaluateTrust(assumeRole(Fixture.alice), trustPolicy: trust, roleAccount: Fixture.account, identityPolicies: [noAssume]).isAllowed)
    }

    // MARK: Principal keys

    @Test("aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalTag come from the caller")
    func principalKeys() throws {
        let policy = try keyPolicy(
            allowStatement(
                principal: #""*""#,
                condition: #"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"},"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:PrincipalTag/team":"crypto"}}"#))
        var tagged = Fixture.adminSession
        tagged.tags = ["team": "crypto"]
        #expect(evaluate(request(tagged), keyPolicy: policy).isAllowed)
        var otherTeam = Fixture.adminSession
        otherTeam.tags = ["team": "web"]
        #expect(!evaluate(request(otherTeam), keyPolicy: policy).isAllowed)
        var aliceTagged = Fixture.alice
        aliceTagged.tags = ["team": "crypto"]
        #expect(!evaluate(request(aliceTagged), keyPolicy: policy).isAllowed)
    }

    @Test("A context value the service supplies wins over the one filled in from the caller")
    func suppliedPrincipalKey() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#, condition: #"{"StringEquals":{"aws:PrincipalAccount":"999999999999"}}"#))
        #expect(!evaluate(request(Fixture.alice), keyPolicy: policy).isAllowed)
        #expect(evaluate(request(Fixture.alice, context: .with(["aws:PrincipalAccount": "999999999999"])), keyPolicy: policy).isAllowed)
    }

    @Test("Policy variables resolve in version 2012-10-17 and stay literal in 2008-10-17")
    func policyVariables() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        let statement = #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:user":"${aws:username}"}}}"#
        let current = try identityPolicy("p", statement)
        let legacy = try identityPolicy("p", statement, version: "2008-10-17")
        let aliceContext = ConditionContext.with(["kms:EncryptionContext:user": "alice"])
        #expect(evaluate(request(Fixture.alice, context: aliceContext), keyPolicy: policy, identity: [current]).isAllowed)
        #expect(!evaluate(request(Fixture.bob, context: aliceContext), keyPolicy: policy, identity: [current]).isAllowed)
        #expect(!evaluate(request(Fixture.alice, context: aliceContext), keyPolicy: policy, identity: [legacy]).isAllowed)
        let literal = ConditionContext.with(["kms:EncryptionContext:user": "${aws:username}"])
        #expect(evaluate(request(Fixture.alice, context: literal), keyPolicy: policy, identity: [legacy]).isAllowed)
        // A session has no aws:username: the variable cannot resolve and nothing matches.
        #expect(!evaluate(request(Fixture.adminSession, context: aliceContext), keyPolicy: policy, identity: [current]).isAllowed)
    }

    @Test("Policy variables in resources, with a default for an absent key")
    func resourceVariables() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        let identity = try identityPolicy(
            "p", #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/${kms:KeyTag, '1234abcd-12ab-34cd-56ef-1234567890ab'}"}"#)
        #expect(evaluate(request(Fixture.alice), keyPolicy: policy, identity: [identity]).isAllowed)
        #expect(!evaluate(request(Fixture.alice, resource: Fixture.otherKeyArn), keyPolicy: policy, identity: [identity]).isAllowed)
    }
}
