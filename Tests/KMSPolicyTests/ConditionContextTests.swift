import KMSPolicy
import Testing

@Suite("Condition context")
struct ConditionContextTests {
    @Test("Keys compare without case; values keep theirs")
    func caseInsensitiveKeys() {
        var context = ConditionContext()
        context.set("kms:EncryptionContext:AppName", "ExampleApp")
        #expect(context["KMS:ENCRYPTIONCONTEXT:APPNAME"] == ["ExampleApp"])
        context.set("kms:encryptioncontext:appname", "Other")
        #expect(context["kms:EncryptionContext:AppName"] == ["Other"])
        #expect(context.keys.count == 1)
        context["kms:EncryptionContext:AppName"] = nil
        #expect(context.keys.isEmpty)
    }

    @Test("Multivalued keys and the dictionary initializer")
    func multivalued() {
        var context = ConditionContext(["aws:TagKeys": ["env", "owner"], "kms:KeySpec": ["RSA_4096"]])
        #expect(context["aws:tagkeys"] == ["env", "owner"])
        context.set("kms:EncryptionContextKeys", values: ["a", "b"])
        #expect(context.keys == ["aws:TagKeys", "kms:EncryptionContextKeys", "kms:KeySpec"])
    }

    @Test("aws:username is the user's friendly name, for users only")
    func userName() throws {
        let path = RequestPrincipal(arn: "arn:aws:iam::111122223333:user/division/alice", accountId: Fixture.account)
        #expect(try conditionHolds("StringEquals", "aws:username", #""alice""#, principal: path))
        #expect(try conditionHolds("Null", "aws:username", "true", principal: Fixture.adminSession))
    }

    @Test("aws:PrincipalArn of a session is its role, aws:PrincipalType says what the caller is")
    func principalKeys() throws {
        #expect(try conditionHolds("StringEquals", "aws:PrincipalArn", #""arn:aws:iam::111122223333:role/Admin""#, principal: Fixture.adminSession))
        #expect(try conditionHolds("StringEquals", "aws:PrincipalType", #""AssumedRole""#, principal: Fixture.adminSession))
        #expect(try conditionHolds("StringEquals", "aws:PrincipalType", #""User""#, principal: Fixture.alice))
        // The root user needs no identity policy, so it is observed through a key policy.
        let rootOnly = try keyPolicy(allowStatement(principal: #""*""#, condition: #"{"StringEquals":{"aws:PrincipalType":"Account"}}"#))
        #expect(evaluate(request(Fixture.root), keyPolicy: rootOnly).isAllowed)
        #expect(!evaluate(request(Fixture.alice), keyPolicy: rootOnly).isAllowed)
        #expect(try conditionHolds("StringEquals", "aws:PrincipalAccount", #""444455556666""#, principal: Fixture.carol))
    }
}
