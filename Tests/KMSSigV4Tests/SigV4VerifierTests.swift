import Foundation
import Testing

@testable import KMSSigV4

/// Cases from the published aws-sig-v4-test-suite, plus a KMS request as botocore signs it.
struct SigV4VerifierTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let signedAt = AmzDate.parse("20150830T123600Z")!
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    struct Vector: CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        let query: String
        let headers: [(name: String, value: String)]
        let payloadHash: String
        let authorization: String
        let canonicalRequest: String?
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "get-vanilla", method: "GET", query: "",
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], payloadHash: emptyHash,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            canonicalRequest:
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)"),
        Vector(
            name: "post-vanilla", method: "POST", query: "",
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], payloadHash: emptyHash,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            canonicalRequest: nil),
        Vector(
            name: "get-vanilla-query-order-key-case", method: "GET", query: "Param2=value2&Param1=value1",
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], payloadHash: emptyHash,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            canonicalRequest:
                "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\(emptyHash)"
        ),
        Vector(
            name: "post-x-www-form-urlencoded", method: "POST", query: "",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            payloadHash: "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            canonicalRequest:
                "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
        ),
        Vector(
            name: "get-header-value-trim", method: "GET", query: "",
            headers: [
                ("Host", "example.amazonaws.com"), ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            payloadHash: emptyHash,
            authorization:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            canonicalRequest:
                "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n\(emptyHash)"
        ),
    ]

    func request(_ v: Vector) -> SigV4Request {
        SigV4Request(method: v.method, path: "/", query: v.query, headers: v.headers, payloadHash: v.payloadHash)
    }

    @Test("published vectors verify", arguments: vectors)
    func publishedVectorVerifies(_ v: Vector) throws {
        let authorization = try SigV4Authorization(header: v.authorization)
        let verifier = SigV4Verifier(service: "service")
        try verifier.verify(request(v), authorization: authorization, secretAccessKey: Self.secret, now: Self.signedAt)
        if let expected = v.canonicalRequest {
            #expect(CanonicalRequest.build(request(v), signedHeaders: authorization.signedHeaders) == expected)
        }
    }

    @Test("a wrong secret is refused with AWS's mismatch message", arguments: vectors)
    func wrongSecretFails(_ v: Vector) throws {
        let authorization = try SigV4Authorization(header: v.authorization)
        #expect(throws: SigV4Failure.invalidSignature(SigV4Failure.mismatchMessage)) {
            try SigV4Verifier(service: "service").verify(
                request(v), authorization: authorization, secretAccessKey: "not-the-secret", now: Self.signedAt)
        }
    }

    @Test func kmsRequestAsBotocoreSignsIt() throws {
        let body = #"{"KeyId": "alias/test", "Plaintext": "aGVsbG8="}"#
        #expect(body.utf8.count == 48)
        let request = SigV4Request(
            method: "POST", path: "/", query: "",
            headers: [
                ("Content-Type", "application/x-amz-json-1.1"), ("Host", "kms.us-east-1.amazonaws.com"),
                ("X-Amz-Date", "20150830T123600Z"), ("X-Amz-Target", "TrentService.Encrypt"),
            ],
            payloadHash: "cc19150aa07c9bb07e75493a02d2c2c1459e304cef1dd5d5bd4c9b7aa7e39643")
        let authorization = try SigV4Authorization(
            header:
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=551ca0b58b787139304bfbeb2dffed64e14e712dab9ac6e3eff521be24bebe26"
        )
        #expect(authorization.scope == CredentialScope(date: "20150830", region: "us-east-1", service: "kms"))
        try SigV4Verifier(service: "kms").verify(
            request, authorization: authorization, secretAccessKey: Self.secret, now: Self.signedAt)
    }

    @Test func requestOlderThanFiveMinutesIsExpired() throws {
        let v = Self.vectors[0]
        let authorization = try SigV4Authorization(header: v.authorization)
        let now = Self.signedAt.addingTimeInterval(301)
        #expect(
            throws: SigV4Failure.invalidSignature(
                "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)")
        ) {
            try SigV4Verifier(service: "service").verify(
                request(v), authorization: authorization, secretAccessKey: Self.secret, now: now)
        }
        // Inside the window it still verifies.
        try SigV4Verifier(service: "service").verify(
            request(v), authorization: authorization, secretAccessKey: Self.secret, now: Self.signedAt.addingTimeInterval(299))
    }

    @Test func requestFromTheFutureIsNotYetCurrent() throws {
        let v = Self.vectors[0]
        let authorization = try SigV4Authorization(header: v.authorization)
        let now = Self.signedAt.addingTimeInterval(-301)
        #expect(
            throws: SigV4Failure.invalidSignature(
                "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)")
        ) {
            try SigV4Verifier(service: "service").verify(
                request(v), authorization: authorization, secretAccessKey: Self.secret, now: now)
        }
    }

    @Test func wrongServiceScopeIsRefused() throws {
        let v = Self.vectors[0]
        let authorization = try SigV4Authorization(header: v.authorization)
        #expect(throws: SigV4Failure.invalidSignature("Credential should be scoped to correct service: 'kms'. ")) {
            try SigV4Verifier(service: "kms").verify(
                request(v), authorization: authorization, secretAccessKey: Self.secret, now: Self.signedAt)
        }
    }

    @Test func incompleteHeaderNamesEveryMissingPart() {
        let header = "AWS4-HMAC-SHA256 Credential=ABCDEF"
        #expect(
            throws: SigV4Failure.incompleteSignature(
                "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=\(header)"
            )
        ) { try SigV4Authorization(header: header) }
    }

    @Test func headerWithoutAlgorithmIsIncomplete() {
        #expect(throws: SigV4Failure.self) { try SigV4Authorization(header: "Bearer token") }
    }

    @Test func amzDateRoundTrips() {
        for text in ["20150830T123600Z", "19700101T000000Z", "20240229T235959Z", "20991231T000001Z"] {
            #expect(AmzDate.format(AmzDate.parse(text)!) == text)
        }
        #expect(AmzDate.parse("2015-08-30T12:36:00Z") == nil)
        #expect(AmzDate.parse("20151330T123600Z") == nil)
        #expect(AmzDate.parse("20150830T123600") == nil)
    }

    @Test func pathsAreNormalizedAndEncoded() {
        #expect(CanonicalRequest.canonicalURI("/") == "/")
        #expect(CanonicalRequest.canonicalURI("/a/./b/../c") == "/a/c")
        #expect(CanonicalRequest.canonicalURI("//a//b/") == "/a/b/")
        #expect(CanonicalRequest.canonicalURI("/ሴ") == "/%E1%88%B4")
    }
}

extension SigV4VerifierTests {
    @Test(arguments: [
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request,SignedHeaders=host;x-amz-date,Signature=abc",
        "  AWS4-HMAC-SHA256   Signature=abc ,  Credential=AKID/20150830/us-east-1/kms/aws4_request , SignedHeaders=host;x-amz-date  ",
    ])
    func parsesSpacingAndOrderVariants(_ header: String) throws {
        let parsed = try SigV4Authorization(header: header)
        #expect(parsed.accessKeyId == "AKID")
        #expect(parsed.scope == CredentialScope(date: "20150830", region: "us-east-1", service: "kms"))
        #expect(parsed.signedHeaders == ["host", "x-amz-date"])
        #expect(parsed.signature == "abc")
    }

    @Test(arguments: [
        "", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256X Credential=a/b/c/d/aws4_request", "Basic dXNlcjpwYXNz",
        "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms, SignedHeaders=host, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=abc",
    ])
    func refusesMalformedHeaders(_ header: String) {
        #expect(throws: SigV4Failure.self) { try SigV4Authorization(header: header) }
    }
}

extension SigV4VerifierTests {
    @Test(arguments: [
        ("", ""), ("a", "a"), (" a", "a"), ("a ", "a"), ("a  b", "a b"), ("a\tb", "a b"), ("a b", "a b"),
        ("\t", ""), ("  ", ""), (" \"a   b   c\" ", "\"a b c\""), ("Boto3/1.43 md/Botocore#1.43", "Boto3/1.43 md/Botocore#1.43"),
    ])
    func headerValuesAreTrimmedAndFolded(value: String, expected: String) {
        var out: [UInt8] = []
        CanonicalRequest.appendFolded(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        ("X-Amz-Date", "x-amz-date", true), ("x-amz-datE", "x-amz-date", true), ("x-amz-date", "x-amz-date", true),
        ("x-amz-dat", "x-amz-date", false), ("X-Amz-Datf", "x-amz-date", false), ("", "", true), ("É", "é", false),
    ])
    func headerNamesCompareIgnoringASCIICase(name: String, lowercase: String, expected: Bool) {
        #expect(SigV4Request.lowercasedEquals(name, lowercase) == expected)
    }
}
