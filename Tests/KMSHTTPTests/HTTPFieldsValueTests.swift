import HTTPTypes
import Testing

@testable import KMSHTTP

/// The one-pass header lookup must answer exactly as `HTTPFields`' own subscript does.
struct HTTPFieldsValueTests {
    static let target = HTTPField.Name("X-Amz-Target")!

    static var cases: [HTTPFields] {
        var once = HTTPFields()
        once[target] = "TrentService.Encrypt"
        var twice = HTTPFields()
        twice.append(HTTPField(name: target, value: "TrentService.Encrypt"))
        twice.append(HTTPField(name: .userAgent, value: "boto3"))
        twice.append(HTTPField(name: target, value: "TrentService.Decrypt"))
        var cookies = HTTPFields()
        cookies.append(HTTPField(name: .cookie, value: "a=1"))
        cookies.append(HTTPField(name: .cookie, value: "b=2"))
        var empty = HTTPFields()
        empty[target] = ""
        return [HTTPFields(), once, twice, cookies, empty]
    }

    @Test(arguments: cases)
    func answersAsTheSubscriptDoes(fields: HTTPFields) {
        for name in [Self.target, .userAgent, .cookie, .authorization] {
            #expect(fields.value(name) == fields[name])
        }
    }

    @Test func repeatedFieldsAreJoinedAndNamesMatchInAnyCase() {
        var fields = HTTPFields()
        fields.append(HTTPField(name: HTTPField.Name("x-amz-target")!, value: "A"))
        fields.append(HTTPField(name: HTTPField.Name("X-AMZ-TARGET")!, value: "B"))
        #expect(fields.value(Self.target) == "A, B")
        #expect(fields.value(.contentType) == nil)
    }
}
