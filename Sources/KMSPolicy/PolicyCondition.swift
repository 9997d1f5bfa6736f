/// One condition test: an operator, a condition key and the policy's values for it.
/// `{"StringEquals": {"kms:CallerAccount": ["111122223333", "444455556666"]}}` is one
/// `PolicyCondition`; the values OR together, separate conditions AND together.
public struct PolicyCondition: Sendable, Equatable {
    public var conditionOperator: ConditionOperator
    /// The key as written; keys compare case-insensitively.
    public var key: String
    /// Scalars as written: JSON numbers and booleans become their text (`10`, `true`).
    public var values: [String]

    public init(conditionOperator: ConditionOperator, key: String, values: [String]) {
        self.conditionOperator = conditionOperator
        self.key = key
        self.values = values
    }
}
