import Foundation
import Testing

@testable import KMSAudit

/// CloudTrail times are written by hand; they must read exactly as Foundation's ISO 8601 style
/// writes them, and parse back.
struct CloudTrailTimeTests {
    static let reference = Date.ISO8601FormatStyle(timeZone: .gmt)

    static let dates: [Date] = {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [
            0, 0.999, 59.5, 951_782_400 /* 2000-02-29 */, 1_767_225_599.999_999, 1_767_225_600, 4_102_444_800 /* 2100 */,
            -1, -0.5, -62_135_596_800 /* 0001-01-01 */, 253_402_300_799 /* 9999-12-31T23:59:59 */,
        ]
        return (fixed + (0..<500).map { _ in Double.random(in: -2_208_988_800...4_102_444_800, using: &generator) })
            .map(Date.init(timeIntervalSince1970:))
    }()

    @Test func formatsAsFoundationsISO8601Style() {
        for date in Self.dates {
            #expect(CloudTrailTime.format(date) == date.formatted(Self.reference), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func aFormattedTimeParsesBackToItsWholeSecond() {
        for date in Self.dates {
            let whole = date.timeIntervalSince1970.rounded(.down)
            #expect(CloudTrailTime.parse(CloudTrailTime.format(date))?.timeIntervalSince1970 == whole)
        }
    }
}
