import Testing

@Suite("…IfExists condition operators")
struct IfExistsConditionTests {
    static let cases: [ConditionCase] = [
        // A missing key makes IfExists true; a present key is tested as usual.
        ConditionCase("StringEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, nil, true),
        ConditionCase("StringEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, ["ec2.us-east-1.amazonaws.com"], true),
        ConditionCase("StringEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, ["s3.us-east-1.amazonaws.com"], false),
        ConditionCase("StringEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, [], true),
        ConditionCase("StringNotEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, nil, true),
        ConditionCase("StringNotEqualsIfExists", "kms:ViaService", #""ec2.us-east-1.amazonaws.com""#, ["ec2.us-east-1.amazonaws.com"], false),
        ConditionCase("StringLikeIfExists", "kms:DataKeyPairSpec", #""RSA*""#, nil, true),
        ConditionCase("StringLikeIfExists", "kms:DataKeyPairSpec", #""RSA*""#, ["ECC_NIST_P256"], false),
        ConditionCase("NumericLessThanIfExists", "kms:RotationPeriodInDays", "365", nil, true),
        ConditionCase("NumericLessThanIfExists", "kms:RotationPeriodInDays", "365", ["400"], false),
        ConditionCase("NumericLessThanIfExists", "kms:RotationPeriodInDays", "365", ["90"], true),
        ConditionCase("DateLessThanIfExists", "aws:TokenIssueTime", #""2026-01-01""#, nil, true),
        ConditionCase("DateLessThanIfExists", "aws:TokenIssueTime", #""2026-01-01""#, ["2027-01-01"], false),
        ConditionCase("ArnLikeIfExists", "aws:SourceArn", #""arn:aws:s3:::bucket""#, nil, true),
        ConditionCase("IpAddressIfExists", "aws:SourceIp", #""10.0.0.0/8""#, nil, true),
        ConditionCase("IpAddressIfExists", "aws:SourceIp", #""10.0.0.0/8""#, ["192.0.2.1"], false),
        // IfExists also rescues ForAnyValue from a missing key.
        ConditionCase("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", #""env""#, nil, true),
        ConditionCase("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", #""env""#, ["owner"], false),
    ]

    @Test("IfExists", arguments: cases)
    func ifExists(_ testCase: ConditionCase) throws { try testCase.check() }

    /// "If you are using an "Effect": "Deny" element with a negated condition operator like
    /// StringNotEqualsIfExists, the request is still denied even if the tag is missing."
    @Test("A Deny with a negated IfExists operator denies when the key is missing, as the IAM guide warns")
    func denyWithNegatedIfExists() throws {
        let policy = try keyPolicy(
            allowStatement(principal: #""*""#) + ","
                + #"{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"}}}"#)
        #expect(!evaluate(request(Fixture.alice), keyPolicy: policy).isAllowed)
        #expect(evaluate(request(Fixture.alice, context: .with(["kms:ViaService": "ec2.us-east-1.amazonaws.com"])), keyPolicy: policy).isAllowed)
        #expect(!evaluate(request(Fixture.alice, context: .with(["kms:ViaService": "s3.us-east-1.amazonaws.com"])), keyPolicy: policy).isAllowed)
    }
}
