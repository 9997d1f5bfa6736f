import KMSPolicy
import Testing

@Suite("Action and resource matching")
struct ActionResourceMatchingTests {
    struct ActionCase: CustomTestStringConvertible, Sendable {
        var pattern: String
        var action: String
        var matches: Bool
        var testDescription: String { "\(pattern) vs \(action)" }
    }

    static let actionCases: [ActionCase] = [
        ActionCase(pattern: "kms:*", action: "kms:Decrypt", matches: true),
        ActionCase(pattern: "*", action: "kms:Decrypt", matches: true),
        ActionCase(pattern: "kms:Decrypt", action: "kms:Decrypt", matches: true),
        ActionCase(pattern: "KMS:decrypt", action: "kms:Decrypt", matches: true),
        ActionCase(pattern: "kms:Decrypt", action: "kms:Encrypt", matches: false),
        ActionCase(pattern: "kms:Generate*", action: "kms:GenerateDataKeyWithoutPlaintext", matches: true),
        ActionCase(pattern: "kms:Generate*", action: "kms:GetPublicKey", matches: false),
        ActionCase(pattern: "kms:Describe*", action: "kms:DescribeKey", matches: true),
        ActionCase(pattern: "kms:ReEncrypt*", action: "kms:ReEncryptFrom", matches: true),
        ActionCase(pattern: "kms:*Key", action: "kms:DescribeKey", matches: true),
        ActionCase(pattern: "kms:*Key", action: "kms:DescribeKeys", matches: false),
        ActionCase(pattern: "kms:?ncrypt", action: "kms:Encrypt", matches: true),
        ActionCase(pattern: "kms:?ncrypt", action: "kms:Decrypt", matches: false),
        ActionCase(pattern: "kms:*crypt*", action: "kms:ReEncryptTo", matches: true),
        ActionCase(pattern: "kms:Decrypt", action: "kms:DecryptX", matches: false),
        ActionCase(pattern: "s3:*", action: "kms:Decrypt", matches: false),
        ActionCase(pattern: "kms:*", action: "kmsx:Decrypt", matches: false),
    ]

    @Test("Action patterns: case-insensitive, * and ?", arguments: actionCases)
    func action(_ testCase: ActionCase) throws {
        let policy = try keyPolicy(allowStatement(principal: #""*""#, actions: #""\#(testCase.pattern)""#))
        #expect(evaluate(request(Fixture.alice, testCase.action), keyPolicy: policy).isAllowed == testCase.matches)
    }

    @Test("NotAction allows every action except the listed ones")
    func notAction() throws {
        let policy = try keyPolicy(
            #"{"Effect":"Allow","Principal":"*","NotAction":["kms:ScheduleKeyDeletion","kms:Disable*"],"Resource":"*"}"#)
        #expect(evaluate(request(Fixture.alice, "kms:Encrypt"), keyPolicy: policy).isAllowed)
        #expect(!evaluate(request(Fixture.alice, "kms:ScheduleKeyDeletion"), keyPolicy: policy).isAllowed)
        #expect(!evaluate(request(Fixture.alice, "kms:DisableKeyRotation"), keyPolicy: policy).isAllowed)
    }

    struct ResourceCase: CustomTestStringConvertible, Sendable {
        var pattern: String
        var resource: String
        var matches: Bool
        var testDescription: String { "\(pattern) vs \(resource)" }
    }

    static let resourceCases: [ResourceCase] = [
        ResourceCase(pattern: "*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: Fixture.keyArn, resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: Fixture.keyArn, resource: Fixture.otherKeyArn, matches: false),
        ResourceCase(pattern: "arn:aws:kms:*:111122223333:key/*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:kms:*:444455556666:key/*", resource: Fixture.keyArn, matches: false),
        ResourceCase(pattern: "arn:aws:kms:us-west-2:111122223333:key/*", resource: Fixture.keyArn, matches: false),
        ResourceCase(pattern: "arn:aws:kms:us-east-1:111122223333:alias/*", resource: Fixture.keyArn, matches: false),
        ResourceCase(pattern: "arn:aws:kms:us-east-?:111122223333:key/*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:kms:us-east-1:111122223333:key/1234ABCD-12ab-34cd-56ef-1234567890ab", resource: Fixture.keyArn, matches: false),
        // A * ending a segment may run past colons; one inside a segment may not.
        ResourceCase(pattern: "arn:aws:kms:*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:kms:us-*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:kms:*east-1:111122223333:key/*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:*s:us-east-1:111122223333:key/*", resource: Fixture.keyArn, matches: true),
        ResourceCase(pattern: "arn:aws:k*1:111122223333:key/*", resource: Fixture.keyArn, matches: false),
    ]

    @Test("Resource patterns in identity policies", arguments: resourceCases)
    func resource(_ testCase: ResourceCase) throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"111122223333"}"#))
        let identity = try identityPolicy(
            "p", #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"\#(testCase.pattern)"}"#)
        let decision = evaluate(request(Fixture.alice, resource: testCase.resource), keyPolicy: policy, identity: [identity])
        #expect(decision.isAllowed == testCase.matches)
    }

    @Test("NotResource applies to every resource but the listed ones")
    func notResource() throws {
        let policy = try keyPolicy(allowStatement(principal: #"{"AWS":"111122223333"}"#))
        let identity = try identityPolicy(
            "p", #"{"Effect":"Allow","Action":"kms:*","NotResource":"\#(Fixture.otherKeyArn)"}"#)
        #expect(evaluate(request(Fixture.alice, resource: Fixture.keyArn), keyPolicy: policy, identity: [identity]).isAllowed)
        #expect(
            !evaluate(request(Fixture.alice, resource: Fixture.otherKeyArn), keyPolicy: policy, identity: [identity]).isAllowed)
    }

    @Test("An operation without a resource needs Resource \"*\" in the identity policy")
    func operationWithoutResource() throws {
        let scoped = try identityPolicy("scoped", #"{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:111122223333:key/*"}"#)
        let any = try identityPolicy("any", #"{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*"}"#)
        let createKey = AuthorizationRequest(principal: Fixture.alice, action: "kms:CreateKey", resource: "*")
        #expect(!PolicyEvaluator.evaluateIdentityOnly(createKey, identityPolicies: [scoped]).isAllowed)
        #expect(PolicyEvaluator.evaluateIdentityOnly(createKey, identityPolicies: [any]).isAllowed)
    }

    @Test("A key policy statement scoped to another key's ARN does not apply")
    func keyPolicyResource() throws {
        let policy = try keyPolicy(
            #"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"\#(Fixture.otherKeyArn)"}"#)
        #expect(!evaluate(request(Fixture.alice), keyPolicy: policy).isAllowed)
    }
}
