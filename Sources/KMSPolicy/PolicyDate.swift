/// Date values for the `Date…` condition operators. AWS takes "one of the W3C
/// implementations of the ISO 8601 date formats or … epoch (UNIX) time": `2026`, `2026-01`,
/// `2026-01-31`, `2026-01-31T10:00Z`, `2026-01-31T10:00:00+01:00`, `2026-01-31T10:00:00.5Z`,
/// or `1767225600`. A time without a zone is read as UTC.
enum PolicyDate {
    /// An instant as whole seconds and nanoseconds since 1970-01-01T00:00:00Z, so comparisons
    /// are exact.
    struct Instant: Comparable, Sendable {
        var seconds: Int64
        var nanoseconds: Int64

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
        }
    }

    static func secondsSinceEpoch(_ text: String) -> Instant? {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        if scalars.allSatisfy({ ("0"..."9").contains($0) }) {
            guard let seconds = Int64(text) else { return nil }
            return Instant(seconds: seconds, nanoseconds: 0)
        }
        if let dot = text.firstIndex(of: "."), !text.contains("-"), !text.lowercased().contains("t"),
            let seconds = Int64(text[..<dot]), let fraction = nanoseconds(text[text.index(after: dot)...])
        {
            return Instant(seconds: seconds, nanoseconds: fraction)
        }
        return iso8601(text)
    }

    private static func iso8601(_ text: String) -> Instant? {
        var cursor = Substring(text)
        guard let year = digits(&cursor, count: 4) else { return nil }
        var month = 1
        var day = 1
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        if cursor.first == "-" {
            cursor.removeFirst()
            guard let m = digits(&cursor, count: 2), (1...12).contains(m) else { return nil }
            month = m
            if cursor.first == "-" {
                cursor.removeFirst()
                guard let d = digits(&cursor, count: 2), (1...daysIn(month: month, year: year)).contains(d) else { return nil }
                day = d
                if cursor.first == "T" || cursor.first == "t" {
                    cursor.removeFirst()
                    guard let hour = digits(&cursor, count: 2), (0...23).contains(hour), cursor.first == ":" else { return nil }
                    cursor.removeFirst()
                    guard let minute = digits(&cursor, count: 2), (0...59).contains(minute) else { return nil }
                    var second = 0
                    if cursor.first == ":" {
                        cursor.removeFirst()
                        guard let s = digits(&cursor, count: 2), (0...59).contains(s) else { return nil }
                        second = s
                        if cursor.first == "." {
                            cursor.removeFirst()
                            let fraction = cursor.prefix { ("0"..."9").contains($0) }
                            guard let n = nanoseconds(fraction) else { return nil }
                            nanos = n
                            cursor.removeFirst(fraction.count)
                        }
                    }
                    seconds = Int64(hour * 3600 + minute * 60 + second)
                    guard let offset = zoneOffset(&cursor) else { return nil }
                    seconds -= offset
                }
            }
        }
        guard cursor.isEmpty else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        return Instant(seconds: days * 86_400 + seconds, nanoseconds: nanos)
    }

    /// `Z`, `±hh:mm`, `±hhmm`, or nothing (UTC); the offset in seconds east of UTC.
    private static func zoneOffset(_ cursor: inout Substring) -> Int64? {
        guard let sign = cursor.first else { return 0 }
        if sign == "Z" || sign == "z" {
            cursor.removeFirst()
            return 0
        }
        guard sign == "+" || sign == "-" else { return nil }
        cursor.removeFirst()
        guard let hours = digits(&cursor, count: 2), (0...23).contains(hours) else { return nil }
        if cursor.first == ":" { cursor.removeFirst() }
        guard let minutes = digits(&cursor, count: 2), (0...59).contains(minutes) else { return nil }
        let offset = Int64(hours * 3600 + minutes * 60)
        return sign == "+" ? offset : -offset
    }

    private static func digits(_ cursor: inout Substring, count: Int) -> Int? {
        let prefix = cursor.prefix(count)
        guard prefix.count == count, prefix.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(prefix) else { return nil }
        cursor.removeFirst(count)
        return value
    }

    /// A decimal fraction (the digits after the point) in nanoseconds; at most nine digits.
    private static func nanoseconds(_ digits: Substring) -> Int64? {
        guard (1...9).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }),
            let value = Int64(digits)
        else { return nil }
        var scaled = value
        for _ in digits.count..<9 { scaled *= 10 }
        return scaled
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
