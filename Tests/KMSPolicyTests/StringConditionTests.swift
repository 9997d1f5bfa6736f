import KMSPolicy
import Testing

@Suite("String condition operators")
struct StringConditionTests {
    static let cases: [ConditionCase] = [
        ConditionCase("StringEquals", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, ["ec2.us-east-1.amazonaws.com"], true),
        ConditionCase("StringEquals", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, ["EC2.us-east-1.amazonaws.com"], false),
        ConditionCase("StringEquals", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, nil, false),
        ConditionCase("StringEquals", "kms:ViaService", #"["s3.us-east-1.amazonaws.com","ec2.us-east-1.amazonaws.com"]"#, ["ec2.us-east-1.amazonaws.com"], true),
        ConditionCase("StringEquals", "kms:ViaService", #"["s3.us-east-1.amazonaws.com"]"#, ["ec2.us-east-1.amazonaws.com"], false),
        ConditionCase("StringEquals", "kms:ViaService", #""ec2.*""#, ["ec2.us-east-1.amazonaws.com"], false),
        ConditionCase("StringEquals", "kms:BypassPolicyLockoutSafetyCheck", "true", ["true"], true),
        ConditionCase("StringEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", "7", ["7"], true),
        ConditionCase("StringEquals", "kms:EncryptionContext:AppName", #""ExampleApp""#, [""], false),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #""SYMMETRIC_DEFAULT""#, ["RSAES_OAEP_SHA_256"], true),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #""SYMMETRIC_DEFAULT""#, ["SYMMETRIC_DEFAULT"], false),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #""SYMMETRIC_DEFAULT""#, ["symmetric_default"], true),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #""SYMMETRIC_DEFAULT""#, nil, true),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #"["A","B"]"#, ["B"], false),
        ConditionCase("StringNotEquals", "kms:EncryptionAlgorithm", #"["A","B"]"#, ["C"], true),
        ConditionCase("StringEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, ["it"], true),
        ConditionCase("StringEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, ["HR"], false),
        ConditionCase("StringEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, nil, false),
        ConditionCase("StringNotEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, ["it"], false),
        ConditionCase("StringNotEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, ["HR"], true),
        ConditionCase("StringNotEqualsIgnoreCase", "kms:EncryptionContext:Dept", #""IT""#, nil, true),
        ConditionCase("StringLike", "kms:DataKeyPairSpec", #""RSA*""#, ["RSA_2048"], true),
        ConditionCase("StringLike", "kms:DataKeyPairSpec", #""RSA*""#, ["ECC_NIST_P256"], false),
        ConditionCase("StringLike", "kms:DataKeyPairSpec", #""rsa*""#, ["RSA_2048"], false),
        ConditionCase("StringLike", "kms:DataKeyPairSpec", #""RSA_????""#, ["RSA_2048"], true),
        ConditionCase("StringLike", "kms:DataKeyPairSpec", #""RSA_???""#, ["RSA_2048"], false),
        ConditionCase("StringLike", "kms:RequestAlias", #"["alias/web-*","alias/*-prod"]"#, ["alias/db-prod"], true),
        ConditionCase("StringLike", "kms:RequestAlias", #""*""#, ["anything at all"], true),
        ConditionCase("StringLike", "kms:RequestAlias", #""alias/*""#, nil, false),
        ConditionCase("StringNotLike", "kms:RequestAlias", #""alias/test-*""#, ["alias/prod-db"], true),
        ConditionCase("StringNotLike", "kms:RequestAlias", #""alias/test-*""#, ["alias/test-db"], false),
        ConditionCase("StringNotLike", "kms:RequestAlias", #""alias/test-*""#, nil, true),
    ]

    @Test("String comparisons", arguments: cases)
    func string(_ testCase: ConditionCase) throws { try testCase.check() }

    @Test("Condition key names are case-insensitive, encryption context keys included")
    func keyCase() throws {
        let context = ConditionContext.with(["kms:EncryptionContext:AppName": "ExampleApp"])
        #expect(try conditionHolds("StringEquals", "KMS:encryptioncontext:appname", #""ExampleApp""#, context: context))
        #expect(try conditionHolds("StringEquals", "kms:EncryptionContext:Appname", #""ExampleApp""#, context: context))
        #expect(try !conditionHolds("StringEquals", "kms:EncryptionContext:Appname", #""exampleapp""#, context: context))
    }

    @Test("Keys within a block, and blocks, all have to hold")
    func conjunction() throws {
        let policy = try identityPolicy(
            "p",
            #"{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*","Condition":{"StringEquals":{"kms:KeySpec":"RSA_4096","kms:KeyUsage":"SIGN_VERIFY"},"StringLike":{"aws:RequestTag/Project":"*"}}}"#)
        func allowed(_ context: ConditionContext) -> Bool {
            PolicyEvaluator.evaluateIdentityOnly(
                AuthorizationRequest(principal: Fixture.alice, action: "kms:CreateKey", resource: "*", context: context),
                identityPolicies: [policy]
            ).isAllowed
        }
        #expect(allowed(.with(["kms:KeySpec": "RSA_4096", "kms:KeyUsage": "SIGN_VERIFY", "aws:RequestTag/Project": "x"])))
        #expect(!allowed(.with(["kms:KeySpec": "RSA_4096", "kms:KeyUsage": "ENCRYPT_DECRYPT", "aws:RequestTag/Project": "x"])))
        #expect(!allowed(.with(["kms:KeySpec": "RSA_4096", "kms:KeyUsage": "SIGN_VERIFY"])))
    }
}
