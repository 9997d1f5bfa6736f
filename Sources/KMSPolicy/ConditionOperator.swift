/// A condition operator, split into AWS's three parts: an optional set qualifier
/// (`ForAnyValue:`/`ForAllValues:`), the comparison, and an optional `IfExists` suffix.
/// See "IAM JSON policy elements: Condition operators" in the IAM User Guide.
public struct ConditionOperator: Sendable, Equatable, CustomStringConvertible {
    public var qualifier: SetQualifier?
    public var comparison: Comparison
    public var ifExists: Bool

    public init(qualifier: SetQualifier? = nil, comparison: Comparison, ifExists: Bool = false) {
        self.qualifier = qualifier
        self.comparison = comparison
        self.ifExists = ifExists
    }

    /// Parses an operator name as it appears in a policy, e.g. `ForAnyValue:StringLikeIfExists`.
    /// Names are case-sensitive, as AWS's are. `Null` takes no `IfExists`: it tests existence itself.
    public init?(_ name: String) {
        var rest = Substring(name)
        var qualifier: SetQualifier?
        for candidate in SetQualifier.allCases where rest.hasPrefix(candidate.rawValue) {
            qualifier = candidate
            rest = rest.dropFirst(candidate.rawValue.count)
            break
        }
        var ifExists = false
        if let comparison = Comparison(rawValue: String(rest)) {
            self.init(qualifier: qualifier, comparison: comparison, ifExists: false)
            return
        }
        if rest.hasSuffix("IfExists") {
            rest = rest.dropLast("IfExists".count)
            ifExists = true
        }
        guard let comparison = Comparison(rawValue: String(rest)), !(ifExists && comparison == .null) else { return nil }
        self.init(qualifier: qualifier, comparison: comparison, ifExists: ifExists)
    }

    public var description: String {
        (qualifier?.rawValue ?? "") + comparison.rawValue + (ifExists ? "IfExists" : "")
    }

    /// `ForAnyValue`/`ForAllValues` compare a multivalued request key as a set.
    public enum SetQualifier: String, Sendable, Equatable, CaseIterable {
        case forAnyValue = "ForAnyValue:"
        case forAllValues = "ForAllValues:"
    }

    public enum Comparison: String, Sendable, Equatable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// A negated comparison holds when the positive one does not; with the key missing
        /// from the request it holds (AWS: "If the policy condition requires that the key is
        /// not matched … and the right key is not present, the condition is true").
        var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default:
                false
            }
        }

        /// Comparisons whose policy values may hold `${…}` policy variables (IAM: string,
        /// ARN and Boolean operators do; numeric, date, binary, IP and Null do not).
        var acceptsPolicyVariables: Bool {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike,
                .stringNotLike, .arnEquals, .arnLike, .arnNotEquals, .arnNotLike, .bool:
                true
            default:
                false
            }
        }
    }
}
