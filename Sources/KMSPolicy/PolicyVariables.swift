/// Policy variables: `${aws:username}` and the like in condition values and resources,
/// replaced by the request's value for that key ("IAM policy elements: Variables and tags").
/// Only version 2012-10-17 documents have them; in older ones `${…}` is literal text.
///
/// `${key, 'default'}` gives a value for when the key is absent. `${*}`, `${?}` and `${$}`
/// stand for the characters themselves. A variable whose key is absent (and has no default)
/// or has several values cannot be resolved, and the text holding it then matches nothing.
enum PolicyVariables {
    static func resolve(_ text: String, in context: ConditionContext) -> String? {
        guard text.utf8.contains(UInt8(ascii: "$")), text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                // No closing brace: not a variable.
                result += rest[start.lowerBound...]
                return result
            }
            let inner = afterOpen[..<close]
            guard let value = value(of: inner, in: context) else { return nil }
            result += value
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        return result
    }

    private static func value(of inner: Substring, in context: ConditionContext) -> String? {
        switch inner {
        case "*", "?", "$": return String(inner)
        default: break
        }
        var key = inner
        var defaultValue: String?
        if let comma = inner.firstIndex(of: ",") {
            key = inner[..<comma]
            let fallback = inner[inner.index(after: comma)...].trimmingSpaces()
            if fallback.count >= 2, fallback.first == "'", fallback.last == "'" {
                defaultValue = String(fallback.dropFirst().dropLast())
            }
        }
        let values = context.presentValues(String(key.trimmingSpaces()))
        if let values, values.count == 1 { return values[0] }
        return values == nil ? defaultValue : nil
    }
}

extension Substring {
    fileprivate func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }

    fileprivate func trimmingSpaces() -> Substring {
        var trimmed = self
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed
    }
}
