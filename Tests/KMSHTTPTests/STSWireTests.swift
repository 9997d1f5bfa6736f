import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KMSCore
import KMSCrypto
import KMSModel
import KMSSigV4
import KMSStorage
import Logging
import NIOCore
import Testing

@testable import KMSHTTP

/// STS in the query protocol through the real application, and temporary credentials on KMS calls.
struct STSWireTests {
    /// The real application over an in-memory store this test can read the audit trail of.
    struct Setup {
        let repository = MemoryKeyRepository()
        let service: KeyManagementService
        let admin: IssuedCredential
        let clock = ManualWallClock(AmzDate.parse("20260101T120000Z")!)

        init() async throws {
            service = KeyManagementService(
                repository: repository, rootKey: FileRootKeyProvider(key: SymmetricKey(size: .bits256)), clock: clock)
            admin = try await service.bootstrapAdministrator()!
        }

        func app() -> some ApplicationProtocol {
            buildApplication(
                service: service, authenticator: SigV4Authenticator(service: service, clock: clock), host: "127.0.0.1", port: 0,
                logger: Logger(label: "test"))
        }

        /// Every audit record so far, parsed.
        func records() async throws -> [[String: Any]] {
            try await repository.auditRecords(after: 0, limit: 1000).map {
                try JSONSerialization.jsonObject(with: $0.entry.record) as! [String: Any]
            }
        }
    }

    /// Headers of a form-encoded POST signed as botocore signs STS calls (or, with `target`, a KMS call).
    static func headers(
        _ setup: Setup, body: String, accessKeyId: String? = nil, secret: String? = nil, token: String? = nil,
        service: String = "sts", target: String? = nil, date: String = "20260101T120000Z"
    ) -> HTTPFields {
        let scope = CredentialScope(date: String(date.prefix(8)), region: "us-east-1", service: service)
        let contentType = target == nil ? "application/x-www-form-urlencoded; charset=utf-8" : "application/x-amz-json-1.1"
        var signed: [(name: String, value: String)] = [("content-type", contentType), ("host", "localhost"), ("x-amz-date", date)]
        if let token { signed.append(("x-amz-security-token", token)) }
        if let target { signed.append(("x-amz-target", target)) }
        let request = SigV4Request(
            method: "POST", path: "/", query: "", headers: signed, payloadHash: SHA256.hash(data: Data(body.utf8)).hexString)
        let names = signed.map(\.name)
        let signature = SigV4Verifier.signature(
            request, signedHeaders: names, amzDate: date, scope: scope, secretAccessKey: secret ?? setup.admin.secretAccessKey)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("X-Amz-Date")!] = date
        if let token { headers[.amzSecurityToken] = token }
        if let target { headers[.amzTarget] = target }
        headers[.authorization] =
            "AWS4-HMAC-SHA256 Credential=\(accessKeyId ?? setup.admin.accessKeyId)/\(scope.string), SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
        return headers
    }

    /// The text of the first `<name>` element.
    static func value(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    static let trust = #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:user/alice"},"Action":"sts:AssumeRole"}]}"#

    /// A user alice with an access key, and a role reader she may assume.
    static func alice(_ setup: Setup) async throws -> IssuedCredential {
        let account = setup.admin.accountId
        _ = try await setup.service.createUser(accountId: account, userName: "alice")
        _ = try await setup.service.createRole(
            accountId: account, roleName: "reader", trustPolicy: trust.replacingOccurrences(of: "ACCOUNT", with: account))
        try await setup.service.putPolicy(
            accountId: account, owner: .role("reader"), policyName: "list",
            document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:ListKeys","Resource":"*"}]}"#)
        return try await setup.service.createAccessKey(accountId: account, userName: "alice")
    }

    @Test func getCallerIdentityAnswersInXMLWithTheRequestId() async throws {
        let setup = try await Setup()
        try await setup.app().test(.router) { client in
            let body = "Action=GetCallerIdentity&Version=2011-06-15"
            try await client.execute(uri: "/", method: .post, headers: Self.headers(setup, body: body), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/xml")
                let xml = String(buffer: response.body)
                #expect(xml.contains(#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#))
                #expect(Self.value("Arn", in: xml) == "arn:aws:iam::\(setup.admin.accountId):root")
                #expect(Self.value("UserId", in: xml) == setup.admin.accountId)
                #expect(Self.value("Account", in: xml) == setup.admin.accountId)
                #expect(Self.value("RequestId", in: xml) == response.headers[.amznRequestId])
            }
        }
        let record = try #require(try await setup.records().last)
        #expect(record["eventSource"] as? String == "sts.amazonaws.com")
        #expect(record["eventName"] as? String == "GetCallerIdentity")
    }

    @Test func assumedRoleCredentialsWorkOnKMSUntilTheyExpire() async throws {
        let setup = try await Setup()
        let alice = try await Self.alice(setup)
        let roleArn = "arn:aws:iam::\(setup.admin.accountId):role/reader"
        try await setup.app().test(.router) { client in
            let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=\(roleArn.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                + "&RoleSessionName=wire%40test&DurationSeconds=900"
            var credentials: (id: String, secret: String, token: String)?
            try await client.execute(
                uri: "/", method: .post, headers: Self.headers(setup, body: body, accessKeyId: alice.accessKeyId, secret: alice.secretAccessKey),
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let xml = String(buffer: response.body)
                #expect(xml.contains(#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#))
                #expect(Self.value("Arn", in: xml) == "arn:aws:sts::\(setup.admin.accountId):assumed-role/reader/wire@test")
                #expect(Self.value("Expiration", in: xml) == "2026-01-01T12:15:00Z")
                #expect(Self.value("AssumedRoleId", in: xml)?.hasSuffix(":wire@test") == true)
                credentials = (
                    try #require(Self.value("AccessKeyId", in: xml)), try #require(Self.value("SecretAccessKey", in: xml)),
                    try #require(Self.value("SessionToken", in: xml))
                )
            }
            let session = try #require(credentials)
            let list = "{}"
            func listKeys(date: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/", method: .post,
                    headers: Self.headers(
                        setup, body: list, accessKeyId: session.id, secret: session.secret, token: session.token, service: "kms",
                        target: "TrentService.ListKeys", date: date),
                    body: ByteBuffer(string: list))
            }
            #expect(try await listKeys(date: "20260101T120000Z").status == .ok)
            let identity = "Action=GetCallerIdentity&Version=2011-06-15"
            try await client.execute(
                uri: "/", method: .post,
                headers: Self.headers(setup, body: identity, accessKeyId: session.id, secret: session.secret, token: session.token),
                body: ByteBuffer(string: identity)
            ) { response in
                #expect(Self.value("Arn", in: String(buffer: response.body)) == "arn:aws:sts::\(setup.admin.accountId):assumed-role/reader/wire@test")
            }

            // A token that is not the one issued, or that goes with another key, is unknown.
            let forged = try await client.execute(
                uri: "/", method: .post,
                headers: Self.headers(
                    setup, body: list, accessKeyId: session.id, secret: session.secret, token: String(session.token.dropLast(4)) + "AAA=",
                    service: "kms", target: "TrentService.ListKeys"),
                body: ByteBuffer(string: list))
            #expect(try WireTests.json(forged)["__type"] as? String == "UnrecognizedClientException")

            setup.clock.advance(by: 900)
            let expired = try await listKeys(date: "20260101T121500Z")
            #expect(expired.status == .badRequest)
            let json = try WireTests.json(expired)
            #expect(json["__type"] as? String == "ExpiredTokenException")
            #expect(json["message"] as? String == "The security token included in the request is expired")
            try await client.execute(
                uri: "/", method: .post,
                headers: Self.headers(
                    setup, body: identity, accessKeyId: session.id, secret: session.secret, token: session.token, date: "20260101T121500Z"),
                body: ByteBuffer(string: identity)
            ) { response in
                #expect(response.status.code == 403)
                #expect(Self.value("Code", in: String(buffer: response.body)) == "ExpiredToken")
            }
        }
    }

    @Test func faultsAreSTSErrorResponses() async throws {
        let setup = try await Setup()
        let alice = try await Self.alice(setup)
        let roleArn = "arn%3Aaws%3Aiam%3A%3A\(setup.admin.accountId)%3Arole%2Freader"
        try await setup.app().test(.router) { client in
            func check(
                _ body: String, _ status: Int, _ code: String, _ message: String? = nil, headers: HTTPFields? = nil
            ) async throws {
                try await client.execute(
                    uri: "/", method: .post, headers: headers ?? Self.headers(setup, body: body), body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status.code == status, "\(body)")
                    #expect(response.headers[.amznRequestId] != nil)
                    let xml = String(buffer: response.body)
                    #expect(xml.contains(#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#))
                    #expect(Self.value("Type", in: xml) == (status == 500 ? "Receiver" : "Sender"))
                    #expect(Self.value("Code", in: xml) == code, "\(body): \(xml)")
                    if let message { #expect(Self.value("Message", in: xml) == XMLWriter.escaped(message), "\(body)") }
                    #expect(Self.value("RequestId", in: xml) == response.headers[.amznRequestId])
                }
            }
            try await check("Action=GetSessionToken&Version=2011-06-15", 400, "InvalidAction",
                "Could not find operation GetSessionToken for version 2011-06-15")
            try await check("Action=GetCallerIdentity&Version=2010-01-01", 400, "InvalidAction",
                "Could not find operation GetCallerIdentity for version 2010-01-01")
            try await check("Version=2011-06-15", 400, "InvalidAction", "Missing Action")
            try await check("Action=AssumeRole&Version=2011-06-15&RoleArn=\(roleArn)&RoleSessionName=s1", 403, "AccessDenied",
                "Roles may not be assumed by root accounts.")
            let asAlice = { (body: String) in Self.headers(setup, body: body, accessKeyId: alice.accessKeyId, secret: alice.secretAccessKey) }
            let invalid = "Action=AssumeRole&Version=2011-06-15&RoleArn=\(roleArn)&RoleSessionName=a%3Cb"
            try await check(invalid, 400, "ValidationError",
                #"1 validation error detected: Value 'a<b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"#,
                headers: asAlice(invalid))
            let tooLong = "Action=AssumeRole&Version=2011-06-15&RoleArn=\(roleArn)&RoleSessionName=s1&DurationSeconds=3601"
            try await check(tooLong, 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                headers: asAlice(tooLong))
            let body = "Action=GetCallerIdentity&Version=2011-06-15"
            try await check(body, 403, "InvalidClientTokenId", "The security token included in the request is invalid.",
                headers: Self.headers(setup, body: body, accessKeyId: "AKIANOSUCHKEY0000000"))
            try await check(body, 403, "SignatureDoesNotMatch", SigV4Failure.mismatchMessage,
                headers: Self.headers(setup, body: body, secret: "wrong"))
            try await check(body, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'. ",
                headers: Self.headers(setup, body: body, service: "kms"))
            var unsigned = Self.headers(setup, body: body)
            unsigned[.authorization] = nil
            try await check(body, 403, "MissingAuthenticationToken", headers: unsigned)
        }
        // Refused requests are recorded as STS's, with STS's codes.
        let records = try await setup.records().filter { ($0["userIdentity"] as? [String: Any])?["invokedBy"] == nil }
        #expect(records.count == 10)
        #expect(records.allSatisfy { $0["eventSource"] as? String == "sts.amazonaws.com" })
        #expect(records.compactMap { $0["errorCode"] as? String }.contains("InvalidClientTokenId"))
        #expect(records.compactMap { $0["errorCode"] as? String }.contains("AccessDenied"))
    }

    @Test func formFieldsDecodeAsTheQueryProtocolEncodesThem() {
        let form = QueryForm(bytes: Array("Action=AssumeRole&RoleSessionName=a+b%40c%2Fd&Empty=&Bad=%zz%4&Tags.member.1.Key=k&Tags.member.1.Value=v&TransitiveTagKeys.member.1=k&TransitiveTagKeys.member.2=j".utf8))
        #expect(form["Action"] == "AssumeRole")
        #expect(form["RoleSessionName"] == "a b@c/d")
        #expect(form["Empty"] == "")
        #expect(form["Bad"] == "%zz%4")
        #expect(form.list("TransitiveTagKeys") == ["k", "j"])
        #expect(form.list("PolicyArns") == nil)
        #expect(form.structureCount("Tags") == 1)
        let request = STSQueryCodec.assumeRole(QueryForm(bytes: Array("RoleArn=r&RoleSessionName=s&DurationSeconds=ten".utf8)))
        #expect(request.durationSeconds == nil)
        #expect(request.durationSecondsText == "ten")
        #expect(STSQueryCodec.assumeRole(form).tags == [Tag(tagKey: "k", tagValue: "v")])
    }
}
