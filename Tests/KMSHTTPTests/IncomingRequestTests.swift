import HTTPTypes
import Hummingbird
import NIOHTTP1
import Testing

@testable import KMSHTTP

/// The request head the pipeline reads: the target split as SigV4 signs it, and header lookups
/// as HTTP defines them.
struct IncomingRequestTests {
    @Test(arguments: [
        ("/", "/", ""),
        ("/?Action=GetCallerIdentity&Version=2011-06-15", "/", "Action=GetCallerIdentity&Version=2011-06-15"),
        ("/a%20b/c?x=%2F&y", "/a%20b/c", "x=%2F&y"),
        ("/?", "/", ""),
        ("/path?a=1?b=2", "/path", "a=1?b=2"),
        ("http://kms.example:4566/keys?x=1", "/keys", "x=1"),
        ("https://kms.example", "/", ""),
        ("http://kms.example?x=1", "/", "x=1"),
    ])
    func theTargetSplitsIntoPathAndQueryAsSent(target: String, path: String, query: String) {
        let request = IncomingRequest(method: "POST", target: target, headers: HTTPHeaders())
        #expect(request.path == path)
        #expect(request.query == query)
    }

    /// The fields every request reads are gathered when the request is made, any other on
    /// demand; both answer the same way.
    @Test func repeatedFieldsAreJoinedAndNamesMatchInAnyCase() {
        let request = IncomingRequest(
            method: "POST", target: "/",
            headers: HTTPHeaders([
                ("x-amz-target", "A"), ("User-Agent", "boto3"), ("X-AMZ-TARGET", "B"), ("X-Amz-Date", ""),
                ("Authorization", "AWS4-HMAC-SHA256 x"), ("X-Amz-Security-Token", "t1"), ("x-amz-security-token", "t2"),
                ("Content-Typf", "not the content type"), ("X-Custom", "1"), ("x-custom", "2"),
            ]))
        #expect(request.header("x-amz-target") == "A, B")
        #expect(request.header("user-agent") == "boto3")
        #expect(request.header("x-amz-date") == "")
        #expect(request.header("authorization") == "AWS4-HMAC-SHA256 x")
        #expect(request.header("x-amz-security-token") == "t1, t2")
        #expect(request.header("content-type") == nil)
        #expect(request.header("content-typf") == "not the content type")
        #expect(request.header("x-custom") == "1, 2")
        #expect(request.header("x-amz-targe") == nil)
    }

    @Test func aHummingbirdRequestKeepsItsHostAndFieldNames() {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-Amz-Target")!] = "TrentService.Encrypt"
        let head = HTTPRequest(method: .post, scheme: nil, authority: "localhost:4566", path: "/?a=b", headerFields: fields)
        let request = IncomingRequest(Request(head: head, body: RequestBody(buffer: .init())))
        #expect(request.isPost)
        #expect(request.path == "/")
        #expect(request.query == "a=b")
        #expect(request.header("host") == "localhost:4566")
        #expect(request.headers.map(\.name) == ["Host", "X-Amz-Target"])
    }
}
