/// The two wildcard languages of the policy grammar. Both know only `*` (any run of
/// characters, including none) and `?` (exactly one character); neither has escapes.
enum Wildcard {
    /// Plain matching, used for actions (with `ignoringCase`, as action names are
    /// case-insensitive) and for `StringLike`/`StringNotLike` (case-sensitive).
    static func matches(_ pattern: String, _ value: String, ignoringCase: Bool = false) -> Bool {
        if pattern == "*" { return true }
        let pattern = ignoringCase ? pattern.lowercased() : pattern
        let value = ignoringCase ? value.lowercased() : value
        if !pattern.contains("*") && !pattern.contains("?") { return pattern == value }
        return greedyMatch(Array(pattern), Array(value))
    }

    /// The classic linear-time glob: on a mismatch, let the most recent `*` swallow one more
    /// character. Correct for `*` and `?` because a later star can always absorb what an
    /// earlier one would have.
    private static func greedyMatch(_ pattern: [Character], _ value: [Character]) -> Bool {
        var p = 0
        var v = 0
        var star: Int?
        var starValue = 0
        while v < value.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == value[v]) {
                p += 1
                v += 1
            } else if p < pattern.count, pattern[p] == "*" {
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
        while p < pattern.count, pattern[p] == "*" { p += 1 }
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
        if !pattern.contains("*") && !pattern.contains("?") { return pattern == value }
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
        var matched = [Bool](repeating: false, count: (pattern.count + 1) * width)
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
