import Foundation
import Testing

@testable import KMSHTTP

struct StrictJSONTests {
    @Test(arguments: [
        "{}", "[]", #"{"a": 1, "b": [true, false, null], "c": {"d": "e\n\u00e9"}}"#, "-0.5e+10", #""x""#, " { } ",
    ])
    func acceptsWellFormedJSON(_ text: String) {
        #expect(StrictJSON.firstFault(in: Data(text.utf8)) == nil)
    }

    @Test(arguments: [
        #"{"Limit": 5,}"#, "[1,]", #"{"a" 1}"#, "{'a': 1}", "01", "1.", "tru", #"{"a": 1} x"#, "", #""\x""#, #"{"a":"#,
        "\"tab\there\"",
    ])
    func rejectsWhatAWSRejects(_ text: String) {
        #expect(StrictJSON.firstFault(in: Data(text.utf8)) != nil)
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(StrictJSON.firstFault(in: Data(deep.utf8)) == .tooDeep)
        let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(StrictJSON.firstFault(in: Data(fine.utf8)) == nil)
    }
}
