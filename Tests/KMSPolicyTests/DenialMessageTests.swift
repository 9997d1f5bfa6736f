import KMSPolicy
import Testing

/// AWS's AccessDeniedException texts ("Troubleshoot access denied error messages", IAM User
/// Guide) and the one-line explanations for the policy simulator.
@Suite("Denial messages and explanations")
struct DenialMessageTests {
    static let bobArn = "arn:aws:iam::111122223333:user/bob"
    static let key = "arn:aws:kms:us-east-1:111122223333:key/abc"

    func message(_ decision: Decision, action: String = "kms:Decrypt", resource: String = key) -> String {
        decision.denialMessage(principalArn: Self.bobArn, action: action, resource: resource)
    }

    @Test("No identity policy allows: a same-account user under a delegating key policy")
    func noIdentityPolicy() {
        let decision = evaluate(request(Fixture.bob), keyPolicy: DefaultKeyPolicy.policy(accountId: Fixture.account))
        #expect(
            message(decision)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/abc because no identity-based policy allows the kms:Decrypt action")
        #expect(
            decision.explanation
                == #"denied: key policy statement "Enable IAM User Permissions" leaves the decision to identity policies, and none allows the action"#)
    }

    @Test("No resource-based policy allows: a caller the key policy does not admit")
    func noResourcePolicy() {
        let decision = evaluate(request(Fixture.carol), keyPolicy: DefaultKeyPolicy.policy(accountId: Fixture.account))
        #expect(
            message(decision)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/abc because no resource-based policy allows the kms:Decrypt action")
        #expect(decision.explanation == "denied: no key policy statement allows the caller")
    }

    @Test("Explicit deny in a resource-based policy")
    func denyInKeyPolicy() throws {
        let policy = try keyPolicy(#"{"Sid":"Freeze","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.bob), keyPolicy: policy)
        #expect(
            message(decision)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/abc with an explicit deny in a resource-based policy")
        #expect(decision.explanation == #"denied: explicit deny in key policy statement "Freeze""#)
    }

    @Test("Explicit deny in an identity-based policy")
    func denyInIdentityPolicy() throws {
        let deny = try identityPolicy(
            "x", #"{"Effect":"Allow","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}"#)
        let decision = evaluate(request(Fixture.bob), keyPolicy: DefaultKeyPolicy.policy(accountId: Fixture.account), identity: [deny])
        #expect(
            message(decision)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/abc with an explicit deny in an identity-based policy")
        #expect(decision.explanation == #"denied: explicit deny in identity policy "x" statement 2"#)
    }

    @Test("Operations without a resource: the message says resource *")
    func withoutResource() {
        let decision = PolicyEvaluator.evaluateIdentityOnly(
            AuthorizationRequest(principal: Fixture.bob, action: "kms:CreateKey", resource: "*"), identityPolicies: [])
        #expect(
            decision.denialMessage(principalArn: Self.bobArn, action: "kms:CreateKey", resource: "*")
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action")
        #expect(decision.explanation == "denied: no identity policy allows the action")
    }

    @Test("AssumeRole refused by the trust policy: STS's message names no reason; a trust deny is named")
    func trustMessages() throws {
        let roleArn = "arn:aws:iam::111122223333:role/Admin"
        let assume = AuthorizationRequest(
            principal: Fixture.bob, action: "sts:AssumeRole", resource: roleArn, resourceAccount: Fixture.account)
        let namesAlice = try parse(
            #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}}"#,
            .trust)
        let refused = PolicyEvaluator.evaluateTrust(assume, trustPolicy: namesAlice, roleAccount: Fixture.account, identityPolicies: [])
        #expect(
            refused.denialMessage(principalArn: Self.bobArn, action: "sts:AssumeRole", resource: roleArn)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/Admin")
        #expect(refused.explanation == "denied: no trust policy statement allows the caller")

        let denies = try parse(
            #"{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}"#, .trust)
        let denied = PolicyEvaluator.evaluateTrust(assume, trustPolicy: denies, roleAccount: Fixture.account, identityPolicies: [])
        #expect(
            denied.denialMessage(principalArn: Self.bobArn, action: "sts:AssumeRole", resource: roleArn)
                == "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/Admin with an explicit deny in the role trust policy")
    }

    @Test("Explanations of allowed decisions")
    func allowedExplanations() throws {
        let policy = DefaultKeyPolicy.policy(accountId: Fixture.account)
        #expect(evaluate(request(Fixture.root), keyPolicy: policy).explanation == #"allowed by key policy statement "Enable IAM User Permissions""#)
        let identity = try identityPolicy("KmsUsers", #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#)
        #expect(
            evaluate(request(Fixture.alice), keyPolicy: policy, identity: [identity]).explanation
                == #"allowed by key policy statement "Enable IAM User Permissions" and identity policy "KmsUsers" statement 1"#)
        let grant = GrantRule(grantId: "0123abcd", granteePrincipal: Fixture.carol.arn, operations: ["Decrypt"])
        #expect(evaluate(request(Fixture.carol), keyPolicy: policy, grants: [grant]).explanation == "allowed by grant 0123abcd")
        let root = PolicyEvaluator.evaluateIdentityOnly(
            AuthorizationRequest(principal: Fixture.root, action: "kms:CreateKey", resource: "*"), identityPolicies: [])
        #expect(root.explanation == "allowed: the account's root user needs no identity policy")
    }
}
