import Testing

@Suite("Numeric condition operators")
struct NumericConditionTests {
    static let key = "kms:ScheduleKeyDeletionPendingWindowInDays"

    static let cases: [ConditionCase] = [
        ConditionCase("NumericEquals", key, "30", ["30"], true),
        ConditionCase("NumericEquals", key, #""30""#, ["30"], true),
        ConditionCase("NumericEquals", key, "30", ["30.0"], true),
        ConditionCase("NumericEquals", key, "30", ["7"], false),
        ConditionCase("NumericEquals", key, "[7, 30]", ["7"], true),
        ConditionCase("NumericEquals", key, "30", nil, false),
        ConditionCase("NumericEquals", key, "30", ["thirty"], false),
        ConditionCase("NumericNotEquals", key, "30", ["7"], true),
        ConditionCase("NumericNotEquals", key, "30", ["30"], false),
        ConditionCase("NumericNotEquals", key, "[7, 30]", ["30"], false),
        ConditionCase("NumericNotEquals", key, "30", nil, true),
        ConditionCase("NumericNotEquals", key, "30", ["thirty"], false),
        ConditionCase("NumericLessThan", key, "30", ["29"], true),
        ConditionCase("NumericLessThan", key, "30", ["30"], false),
        ConditionCase("NumericLessThan", key, "30", ["-5"], true),
        ConditionCase("NumericLessThan", key, "30", nil, false),
        ConditionCase("NumericLessThanEquals", key, "30", ["30"], true),
        ConditionCase("NumericLessThanEquals", key, "30", ["31"], false),
        ConditionCase("NumericGreaterThan", key, "7", ["8"], true),
        ConditionCase("NumericGreaterThan", key, "7", ["7"], false),
        ConditionCase("NumericGreaterThan", key, "7.5", ["7.6"], true),
        ConditionCase("NumericGreaterThanEquals", key, "7", ["7"], true),
        ConditionCase("NumericGreaterThanEquals", key, "7", ["6.99"], false),
        ConditionCase("NumericGreaterThanEquals", key, "7", ["0x10"], false),
        ConditionCase("NumericGreaterThanEquals", key, "7", ["inf"], false),
    ]

    @Test("Numeric comparisons", arguments: cases)
    func numeric(_ testCase: ConditionCase) throws { try testCase.check() }
}
