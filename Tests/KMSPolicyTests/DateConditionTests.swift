import Testing

@Suite("Date condition operators")
struct DateConditionTests {
    static let key = "aws:CurrentTime"

    static let cases: [ConditionCase] = [
        ConditionCase("DateLessThan", key, #""2026-12-31T23:59:59Z""#, ["2026-06-01T12:00:00Z"], true),
        ConditionCase("DateLessThan", key, #""2026-12-31T23:59:59Z""#, ["2027-01-01T00:00:00Z"], false),
        ConditionCase("DateLessThan", key, #""2026-12-31T23:59:59Z""#, nil, false),
        ConditionCase("DateLessThan", key, #""2026-12-31T23:59:59Z""#, ["not a date"], false),
        ConditionCase("DateLessThanEquals", key, #""2026-06-01T12:00:00Z""#, ["2026-06-01T12:00:00Z"], true),
        ConditionCase("DateGreaterThan", key, #""2026-01-01""#, ["2026-01-01T00:00:01Z"], true),
        ConditionCase("DateGreaterThan", key, #""2026-01-01""#, ["2026-01-01T00:00:00Z"], false),
        ConditionCase("DateGreaterThanEquals", key, #""2026""#, ["2026-01-01T00:00:00Z"], true),
        ConditionCase("DateGreaterThanEquals", key, #""2026-02""#, ["2026-01-31T23:59:59Z"], false),
        // Zones: 12:00+02:00 is 10:00Z.
        ConditionCase("DateEquals", key, #""2026-06-01T12:00:00+02:00""#, ["2026-06-01T10:00:00Z"], true),
        ConditionCase("DateEquals", key, #""2026-06-01T12:00:00-0130""#, ["2026-06-01T13:30:00Z"], true),
        ConditionCase("DateEquals", key, #""2026-06-01T12:00Z""#, ["2026-06-01T12:00:00.000Z"], true),
        ConditionCase("DateLessThan", key, #""2026-06-01T12:00:00.5Z""#, ["2026-06-01T12:00:00.25Z"], true),
        // Epoch seconds on either side: 1767225600 is 2026-01-01T00:00:00Z.
        ConditionCase("DateEquals", key, "1767225600", ["2026-01-01T00:00:00Z"], true),
        ConditionCase("DateEquals", key, #""2026-01-01T00:00:00Z""#, ["1767225600"], true),
        ConditionCase("DateGreaterThan", "aws:EpochTime", "1767225600", ["1767225601"], true),
        ConditionCase("DateNotEquals", key, #""2026-01-01T00:00:00Z""#, ["2026-01-02T00:00:00Z"], true),
        ConditionCase("DateNotEquals", key, #""2026-01-01T00:00:00Z""#, ["2026-01-01T00:00:00Z"], false),
        ConditionCase("DateNotEquals", key, #""2026-01-01T00:00:00Z""#, nil, true),
        ConditionCase("DateEquals", key, #"["2025-01-01","2026-01-01"]"#, ["2026-01-01T00:00:00Z"], true),
        // Calendar rules: 2024 is a leap year, 2100 is not.
        ConditionCase("DateGreaterThan", key, #""2024-02-28T23:59:59Z""#, ["2024-02-29T00:00:00Z"], true),
        ConditionCase("DateLessThan", key, #""2100-03-01""#, ["2100-02-29"], false),
    ]

    @Test("Date comparisons", arguments: cases)
    func date(_ testCase: ConditionCase) throws { try testCase.check() }
}
