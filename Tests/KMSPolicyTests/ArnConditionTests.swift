import Testing

@Suite("ARN condition operators")
struct ArnConditionTests {
    static let key = "aws:PrincipalArn"
    static let role = "arn:aws:iam::111122223333:role/Admin"

    static let cases: [ConditionCase] = [
        ConditionCase("ArnEquals", key, #""arn:aws:iam::111122223333:role/Admin""#, [role], true),
        ConditionCase("ArnEquals", key, #""arn:aws:iam::111122223333:role/admin""#, [role], false),
        ConditionCase("ArnEquals", key, #""arn:aws:iam::111122223333:role/*""#, [role], true),
        ConditionCase("ArnLike", key, #""arn:aws:iam::111122223333:role/*""#, [role], true),
        ConditionCase("ArnLike", key, #""arn:aws:iam::*:role/Admin""#, [role], true),
        ConditionCase("ArnLike", key, #""arn:aws:iam::111122223333:role/Adm?n""#, [role], true),
        ConditionCase("ArnLike", key, #""arn:aws:iam::111122223333:user/*""#, [role], false),
        ConditionCase("ArnLike", key, #""arn:aws:iam::444455556666:*""#, [role], false),
        ConditionCase("ArnLike", key, #"["arn:aws:iam::444455556666:*","arn:aws:iam::111122223333:*"]"#, [role], true),
        ConditionCase("ArnLike", key, #""*""#, [role], true),
        ConditionCase("ArnLike", "aws:SourceArn", #""arn:aws:iam::111122223333:role/*""#, nil, false),
        // The IAM guide's example: a wildcard stays within its colon-delimited component.
        ConditionCase(
            "ArnLike", "aws:SourceArn", #""arn:aws:someservice:*:111122223333:finance/*""#,
            ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"], false),
        ConditionCase(
            "StringLike", "aws:SourceArn", #""arn:aws:someservice:*:111122223333:finance/*""#,
            ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"], true),
        // The resource component may hold colons, and a wildcard there covers them.
        ConditionCase("ArnLike", "aws:SourceArn", #""arn:aws:logs:us-east-1:111122223333:log-group:*""#, ["arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:x"], true),
        ConditionCase("ArnNotEquals", key, #""arn:aws:iam::111122223333:role/Admin""#, [role], false),
        ConditionCase("ArnNotEquals", key, #""arn:aws:iam::111122223333:role/Other""#, [role], true),
        ConditionCase("ArnNotLike", key, #""arn:aws:iam::111122223333:role/*""#, [role], false),
        ConditionCase("ArnNotLike", key, #""arn:aws:iam::111122223333:user/*""#, [role], true),
        ConditionCase("ArnNotLike", "aws:SourceArn", #""arn:aws:iam::111122223333:user/*""#, nil, true),
    ]

    @Test("ARN comparisons", arguments: cases)
    func arn(_ testCase: ConditionCase) throws { try testCase.check() }
}
