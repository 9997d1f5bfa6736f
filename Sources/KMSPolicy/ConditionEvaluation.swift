import Foundation

/// Evaluates one condition against the request context, with AWS's rules for missing keys,
/// multiple values and set qualifiers ("IAM JSON policy elements: Condition operators",
/// "Creating a condition with multiple keys or values"):
///
/// - Several policy values for a key OR together; a negated operator holds when the request
///   value matches none of them.
/// - A key missing from the request: the condition is false, except that a negated operator
///   is true, `…IfExists` is true, `ForAllValues:` is true and `Null: true` is true.
///   `ForAnyValue:` over a missing key is false. A key with no values counts as missing.
/// - `ForAnyValue:` holds when some request value passes the test, `ForAllValues:` when every
///   one does. Without a qualifier a multivalued key behaves as `ForAnyValue:` for a positive
///   operator and as "no value matches" for a negated one.
enum ConditionEvaluation {
    static func holds(_ condition: PolicyCondition, in context: ConditionContext, resolvingVariables: Bool) -> Bool {
        let comparison = condition.conditionOperator.comparison
        let requestValues = context.presentValues(condition.key)

        if comparison == .null {
            return condition.values.contains { value in
                switch value.lowercased() {
                case "true": requestValues == nil
                case "false": requestValues != nil
                default: false
                }
            }
        }

        guard let requestValues else {
            if condition.conditionOperator.ifExists { return true }
            switch condition.conditionOperator.qualifier {
            case .forAllValues?: return true
            case .forAnyValue?: return false
            case nil: return comparison.isNegated
            }
        }

        let policyValues: [String]
        if resolvingVariables && comparison.acceptsPolicyVariables {
            policyValues = condition.values.compactMap { PolicyVariables.resolve($0, in: context) }
        } else {
            policyValues = condition.values
        }

        /// The test for one request value: positive operators need some policy value to
        /// match, negated ones need none to. A request value the operator cannot read (a
        /// non-number for `Numeric…`) passes neither.
        func passes(_ requestValue: String) -> Bool {
            var anyMatch = false
            for policyValue in policyValues {
                switch matches(comparison, request: requestValue, policy: policyValue) {
                case nil: return false
                case true?: anyMatch = true
                case false?: break
                }
                if anyMatch { break }
            }
            return comparison.isNegated ? !anyMatch : anyMatch
        }

        switch condition.conditionOperator.qualifier {
        case .forAllValues?: return requestValues.allSatisfy(passes)
        case .forAnyValue?: return requestValues.contains(where: passes)
        case nil: return comparison.isNegated ? requestValues.allSatisfy(passes) : requestValues.contains(where: passes)
        }
    }

    /// Whether one request value matches one policy value under the positive form of the
    /// comparison; `nil` when the request value is not of the operator's type.
    private static func matches(_ comparison: ConditionOperator.Comparison, request: String, policy: String) -> Bool? {
        switch comparison {
        case .stringEquals, .stringNotEquals:
            return request == policy
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            return request.lowercased() == policy.lowercased()
        case .stringLike, .stringNotLike:
            return Wildcard.matches(policy, request)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
            .numericGreaterThanEquals:
            guard let left = number(request) else { return nil }
            guard let right = number(policy) else { return false }
            return ordered(comparison, left, right)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let left = PolicyDate.secondsSinceEpoch(request) else { return nil }
            guard let right = PolicyDate.secondsSinceEpoch(policy) else { return false }
            return ordered(comparison, left, right)
        case .bool:
            return request.lowercased() == policy.lowercased()
        case .binaryEquals:
            // The policy holds base64; the service supplies binary values base64-encoded too.
            if let left = Data(base64Encoded: request), let right = Data(base64Encoded: policy) { return left == right }
            return request == policy
        case .ipAddress, .notIpAddress:
            let addressText = request.split(separator: "/", maxSplits: 1).first ?? Substring(request)
            guard let address = IPAddressRange.address(addressText) else { return nil }
            return IPAddressRange(cidr: policy)?.contains(address) ?? false
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
            return Wildcard.arnMatches(policy, request, trailingStarCrossesColons: false)
        case .null:
            return nil
        }
    }

    private static func ordered<T: Comparable>(_ comparison: ConditionOperator.Comparison, _ left: T, _ right: T) -> Bool {
        switch comparison {
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: left == right
        }
    }

    /// An integer or decimal as IAM writes them: optional sign, digits, optional fraction.
    private static func number(_ text: String) -> Double? {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" || scalars.first == "+" { scalars = scalars.dropFirst() }
        let integer = scalars.prefix { ("0"..."9").contains($0) }
        guard !integer.isEmpty else { return nil }
        scalars = scalars.dropFirst(integer.count)
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            let fraction = scalars.prefix { ("0"..."9").contains($0) }
            guard !fraction.isEmpty else { return nil }
            scalars = scalars.dropFirst(fraction.count)
        }
        guard scalars.isEmpty else { return nil }
        return Double(text)
    }
}
