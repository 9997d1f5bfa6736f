/// The two wildcard languages of the policy grammar. Both know only `*` (any run of
/// characters, including none) and `?` (exactly one character); neither has escapes.
enum Wildcard {
    /// Plain matching, used for actions (with `ignoringCase`, as action names are
    /// case-insensitive) and for `StringLike`/`StringNotLike` (case-sensitive).
    static func matches(_ pattern: String, _ value: String, ignoringCase: Bool = false) -> Bool {
        if pattern == "*" { return true }
        // Every request matches actions against every statement: ASCII text (all of AWS's
        // action names) is matched byte by byte, folding case on the fly.
        if pattern.utf8.allSatisfy({ $0 < 0x80 }) && value.utf8.allSatisfy({ $0 < 0x80 }) {
            let patternBytes = Array(pattern.utf8)
            let valueBytes = Array(value.utf8)
            let fold: (UInt8) -> UInt8 = { ignoringCase && $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return greedyMatch(patternBytes.map(fold), valueBytes.map(fold), any: UInt8(ascii: "*"), one: UInt8(ascii: "?"))
        }
        let pattern = ignoringCase ? pattern.lowercased() : pattern
        let value = ignoringCase ? value.lowercased() : value
        return greedyMatch(Array(pattern), Array(value), any: "*", one: "?")
    }

    /// The classic linear-time glob: on a mismatch, let the most recent `*` swallow one more
    /// character. Correct for `*` and `?` because a later star can always absorb what an
    /// earlier one would have.
    private static func greedyMatch<Element: Equatable>(_ pattern: [Element], _ value: [Element], any: Element, one: Element) -> Bool {
        var p = 0
        var v = 0
        var star: Int?
        var starValue = 0
        while v < value.count {
            if p < pattern.count, pattern[p] == one || (pattern[p] != any && pattern[p] == value[v]) {
                p += 1
                v += 1
            } else if p < pattern.count, pattern[p] == any {
                star = p
                starValue = v
                p += 1
            } else if let lastStar = star {
                p = lastStar + 1
                starValue += 1
                v = starValue
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == any { p += 1 }
        return p == pattern.count
    }

    /// ARN matching, case-sensitive, segment by segment: `arn:partition:service:region:account:resource`.
    /// A wildcard in one of the first five segments stays inside it ("Each of the six
    /// colon-delimited components of the ARN is checked separately", ARN condition
    /// operators); the resource segment, which may itself hold colons, is matched as a whole.
    ///
    /// With `trailingStarCrossesColons`, a `*` that ends a segment of the pattern may run past
    /// colons, as it does in a statement's `Resource` ("If the * wildcard is the last
    /// character of a resource ARN segment, it can expand to match beyond the colon
    /// boundaries", IAM JSON policy elements: Resource).
    static func arnMatches(_ pattern: String, _ value: String, trailingStarCrossesColons: Bool) -> Bool {
        if pattern == "*" { return true }
        if !pattern.utf8.contains(UInt8(ascii: "*")) && !pattern.utf8.contains(UInt8(ascii: "?")) { return pattern == value }
        // With as many colons on both sides, every colon of the pattern must meet one of the
        // value's, so no wildcard can take one: the segments match one by one. This is the
        // common case (`arn:aws:kms:*:111122223333:key/*` against a key ARN) and needs no table.
        let colon = UInt8(ascii: ":")
        let patternSegments = pattern.utf8.split(separator: colon, omittingEmptySubsequences: false)
        let valueSegments = value.utf8.split(separator: colon, omittingEmptySubsequences: false)
        if patternSegments.count == valueSegments.count, pattern.utf8.allSatisfy({ $0 < 0x80 }), value.utf8.allSatisfy({ $0 < 0x80 }) {
            return zip(patternSegments, valueSegments).allSatisfy { segment, text in
                greedyMatch(Array(segment), Array(text), any: UInt8(ascii: "*"), one: UInt8(ascii: "?"))
            }
        }
        let pattern = Array(pattern.unicodeScalars)
        let value = Array(value.unicodeScalars)
        // The resource segment of the value starts after its fifth colon.
        var colons = 0
        var resourceStart = value.count + 1
        for (index, scalar) in value.enumerated() where scalar == ":" {
            colons += 1
            if colons == 5 {
                resourceStart = index + 1
                break
            }
        }
        func mayConsume(patternIndex: Int, valueIndex: Int) -> Bool {
            guard value[valueIndex] == ":", valueIndex < resourceStart else { return true }
            guard trailingStarCrossesColons, pattern[patternIndex] == "*" else { return false }
            return patternIndex == pattern.count - 1 || pattern[patternIndex + 1] == ":"
        }
        // matched[p][v]: pattern[p...] matches value[v...]. ARNs are short; a table is simplest.
        let width = value.count + 1
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: (pattern.count + 1) * width) { matched in
        matched.initialize(repeating: false)
        matched[pattern.count * width + value.count] = true
        for p in stride(from: pattern.count - 1, through: 0, by: -1) {
            for v in stride(from: value.count, through: 0, by: -1) {
                let result: Bool
                switch pattern[p] {
                case "*":
                    result = matched[(p + 1) * width + v]
                        || (v < value.count && mayConsume(patternIndex: p, valueIndex: v) && matched[p * width + v + 1])
                case "?":
                    result = v < value.count && mayConsume(patternIndex: p, valueIndex: v) && matched[(p + 1) * width + v + 1]
                default:
                    result = v < value.count && pattern[p] == value[v] && matched[(p + 1) * width + v + 1]
                }
                matched[p * width + v] = result
            }
        }
        return matched[0]
        }
    }
}
