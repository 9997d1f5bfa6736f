import Testing

@Suite("ForAnyValue and ForAllValues")
struct SetQualifierConditionTests {
    static let keys = "kms:EncryptionContextKeys"
    static let tags = "aws:TagKeys"

    static let cases: [ConditionCase] = [
        // ForAnyValue: some request value matches some policy value; a missing key never does.
        ConditionCase("ForAnyValue:StringEquals", keys, #""AppName""#, ["AppName", "Project"], true),
        ConditionCase("ForAnyValue:StringEquals", keys, #""AppName""#, ["Project"], false),
        ConditionCase("ForAnyValue:StringEquals", keys, #""AppName""#, ["appname"], false),
        ConditionCase("ForAnyValue:StringEquals", keys, #""AppName""#, nil, false),
        ConditionCase("ForAnyValue:StringEquals", keys, #""AppName""#, [], false),
        ConditionCase("ForAnyValue:StringEqualsIgnoreCase", keys, #""AppName""#, ["appname"], true),
        ConditionCase("ForAnyValue:StringLike", tags, #"["ID","Post*"]"#, ["UserName", "PostDateTime"], true),
        // ForAllValues: every request value matches some policy value; a missing or empty key does.
        ConditionCase("ForAllValues:StringEquals", keys, #"["Department","Project"]"#, ["Department", "Project"], true),
        ConditionCase("ForAllValues:StringEquals", keys, #"["Department","Project"]"#, ["Department"], true),
        ConditionCase("ForAllValues:StringEquals", keys, #"["Department","Project"]"#, ["Department", "Stage"], false),
        ConditionCase("ForAllValues:StringEquals", keys, #"["Department","Project"]"#, nil, true),
        ConditionCase("ForAllValues:StringEquals", keys, #"["Department","Project"]"#, [], true),
        ConditionCase("ForAllValues:StringLike", tags, #"["PostDateTime","Message","Tags"]"#, ["PostDateTime", "UserName"], false),
        ConditionCase("ForAllValues:StringLike", tags, #""env-*""#, ["env-a", "env-b"], true),
        // Negated operators test each request value against all policy values.
        ConditionCase("ForAnyValue:StringNotEquals", tags, #"["env","owner"]"#, ["env", "cost"], true),
        ConditionCase("ForAnyValue:StringNotEquals", tags, #"["env","owner"]"#, ["env", "owner"], false),
        ConditionCase("ForAllValues:StringNotEquals", tags, #"["env","owner"]"#, ["cost", "team"], true),
        ConditionCase("ForAllValues:StringNotEquals", tags, #"["env","owner"]"#, ["cost", "env"], false),
        ConditionCase("ForAllValues:StringNotEquals", tags, #"["env","owner"]"#, nil, true),
        // Other comparisons take qualifiers too.
        ConditionCase("ForAnyValue:NumericLessThan", "kms:Sizes", "10", ["20", "5"], true),
        ConditionCase("ForAllValues:NumericLessThan", "kms:Sizes", "10", ["20", "5"], false),
        ConditionCase("ForAllValues:ArnLike", "kms:Principals", #""arn:aws:iam::111122223333:*""#, ["arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:role/b"], true),
        // Without a qualifier, a multivalued key behaves as ForAnyValue (negated: none matches).
        ConditionCase("StringEquals", keys, #""AppName""#, ["AppName", "Project"], true),
        ConditionCase("StringNotEquals", keys, #""AppName""#, ["AppName", "Project"], false),
        ConditionCase("StringNotEquals", keys, #""AppName""#, ["Stage", "Project"], true),
    ]

    @Test("Set qualifiers", arguments: cases)
    func qualifiers(_ testCase: ConditionCase) throws { try testCase.check() }
}
