import KMSPolicy
import Testing

@Suite("Bool and Null condition operators")
struct BoolNullConditionTests {
    static let cases: [ConditionCase] = [
        ConditionCase("Bool", "aws:SecureTransport", #""true""#, ["true"], true),
        ConditionCase("Bool", "aws:SecureTransport", "true", ["true"], true),
        ConditionCase("Bool", "aws:SecureTransport", "true", ["TRUE"], true),
        ConditionCase("Bool", "aws:SecureTransport", "false", ["true"], false),
        ConditionCase("Bool", "aws:SecureTransport", "false", ["false"], true),
        ConditionCase("Bool", "aws:SecureTransport", "false", nil, false),
        ConditionCase("Bool", "aws:SecureTransport", "true", nil, false),
        ConditionCase("BoolIfExists", "aws:SecureTransport", "true", nil, true),
        ConditionCase("Bool", "kms:GrantIsForAWSResource", "[true, false]", ["false"], true),
        // Null: true when the key is absent, false when present.
        ConditionCase("Null", "kms:EncryptionContextKeys", "true", nil, true),
        ConditionCase("Null", "kms:EncryptionContextKeys", "true", ["AppName"], false),
        ConditionCase("Null", "kms:EncryptionContextKeys", "false", ["AppName"], true),
        ConditionCase("Null", "kms:EncryptionContextKeys", "false", ["AppName", "Dept"], true),
        ConditionCase("Null", "kms:EncryptionContextKeys", "false", nil, false),
        ConditionCase("Null", "kms:EncryptionContextKeys", #""false""#, nil, false),
        ConditionCase("Null", "kms:EncryptionContextKeys", #""TRUE""#, nil, true),
        // A key with no values is an empty data set: absent.
        ConditionCase("Null", "aws:TagKeys", "true", [], true),
        ConditionCase("Null", "aws:TagKeys", "false", [], false),
    ]

    @Test("Bool and Null", arguments: cases)
    func boolNull(_ testCase: ConditionCase) throws { try testCase.check() }

    @Test("Null can require an encryption context, as the KMS guide shows")
    func requireEncryptionContext() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#, actions: #""kms:Encrypt""#, condition: #"{"Null":{"kms:EncryptionContextKeys":false}}"#))
        #expect(!evaluate(request(Fixture.alice, "kms:Encrypt"), keyPolicy: policy).isAllowed)
        let withContext = ConditionContext.with(["kms:EncryptionContextKeys": "AppName", "kms:EncryptionContext:AppName": "x"])
        #expect(evaluate(request(Fixture.alice, "kms:Encrypt", context: withContext), keyPolicy: policy).isAllowed)
    }
}
