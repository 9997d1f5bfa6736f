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

/// The wire protocol through the real application, in process.
struct WireTests {
    struct Setup {
        let service: KeyManagementService
        let admin: IssuedCredential
        let clock: ManualWallClock

        init() async throws {
            clock = ManualWallClock(AmzDate.parse("20260101T120000Z")!)
            service = KeyManagementService(
                repository: MemoryKeyRepository(), rootKey: FileRootKeyProvider(key: SymmetricKey(size: .bits256)), clock: clock)
            admin = try await service.bootstrapAdministrator()!
        }

        func app(dev: Bool = false) -> some ApplicationProtocol {
            let authenticator: any RequestAuthenticator = dev ? DevModeAuthenticator() : SigV4Authenticator(service: service, clock: clock)
            return buildApplication(
                service: service, authenticator: authenticator, host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        }

        /// Headers for a request signed as botocore signs KMS calls.
        func signedHeaders(
            _ operation: String, body: String, accessKeyId: String? = nil, secret: String? = nil, date: String = "20260101T120000Z"
        ) -> HTTPFields {
            let target = "TrentService.\(operation)"
            let scope = CredentialScope(date: String(date.prefix(8)), region: "us-east-1", service: "kms")
            let payloadHash = SHA256.hash(data: Data(body.utf8)).hexString
            let request = SigV4Request(
                method: "POST", path: "/", query: "",
                headers: [
                    ("content-type", "application/x-amz-json-1.1"), ("host", "localhost"), ("x-amz-date", date),
                    ("x-amz-target", target),
                ],
                payloadHash: payloadHash)
            let signedHeaders = ["content-type", "host", "x-amz-date", "x-amz-target"]
            let signature = SigV4Verifier.signature(
                request, signedHeaders: signedHeaders, amzDate: date, scope: scope, secretAccessKey: secret ?? admin.secretAccessKey)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-amz-json-1.1"
            headers[HTTPField.Name("X-Amz-Date")!] = date
            headers[.amzTarget] = target
            headers[.authorization] =
                "AWS4-HMAC-SHA256 Credential=\(accessKeyId ?? admin.accessKeyId)/\(scope.string), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
            return headers
        }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    @Test func signedRequestRunsTheOperation() async throws {
        let setup = try await Setup()
        try await setup.app().test(.router) { client in
            let body = #"{"Description": "wire"}"#
            try await client.execute(uri: "/", method: .post, headers: setup.signedHeaders("CreateKey", body: body), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-amz-json-1.1")
                #expect(response.headers[.amznRequestId]?.count == 36)
                let metadata = try Self.json(response)["KeyMetadata"] as? [String: Any]
                #expect(metadata?["Description"] as? String == "wire")
                #expect(metadata?["AWSAccountId"] as? String == setup.admin.accountId)
                #expect(metadata?["CreationDate"] is Double, "timestamps are epoch seconds")
            }
        }
    }

    @Test func authenticationFailuresAreAWSErrors() async throws {
        let setup = try await Setup()
        try await setup.app().test(.router) { client in
            let body = "{}"
            func check(_ headers: HTTPFields, _ type: String, _ message: String? = nil) async throws {
                try await client.execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[.amznRequestId] != nil)
                    let json = try Self.json(response)
                    #expect(json["__type"] as? String == type)
                    if let message { #expect(json["message"] as? String == message) }
                }
            }
            try await check(
                setup.signedHeaders("ListKeys", body: body, secret: "wrong"), "InvalidSignatureException", SigV4Failure.mismatchMessage)
            try await check(
                setup.signedHeaders("ListKeys", body: body, accessKeyId: "AKIANOSUCHKEY0000000"), "UnrecognizedClientException",
                "The security token included in the request is invalid.")
            try await check(
                setup.signedHeaders("ListKeys", body: body, date: "20260101T115000Z"), "InvalidSignatureException",
                "Signature expired: 20260101T115000Z is now earlier than 20260101T115500Z (20260101T120000Z - 5 min.)")
            var unsigned = setup.signedHeaders("ListKeys", body: body)
            unsigned[.authorization] = nil
            try await check(unsigned, "MissingAuthenticationTokenException", "Missing Authentication Token")
            var incomplete = setup.signedHeaders("ListKeys", body: body)
            incomplete[.authorization] = "AWS4-HMAC-SHA256 Credential=\(setup.admin.accessKeyId)/20260101/us-east-1/kms/aws4_request"
            try await check(incomplete, "IncompleteSignatureException")
            // A body changed after signing no longer matches the payload hash.
            try await client.execute(
                uri: "/", method: .post, headers: setup.signedHeaders("ListKeys", body: body), body: ByteBuffer(string: #"{"Limit":1}"#)
            ) { response in
                let json = try Self.json(response)
                #expect(json["__type"] as? String == "InvalidSignatureException")
            }
        }
    }

    @Test func protocolFaultsAreAWSErrorsNeverCrashes() async throws {
        let setup = try await Setup()
        try await setup.app().test(.router) { client in
            func check(_ operation: String, _ body: String, _ type: String, _ message: String? = nil) async throws {
                try await client.execute(
                    uri: "/", method: .post, headers: setup.signedHeaders(operation, body: body), body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest, "\(operation) \(body)")
                    let json = try Self.json(response)
                    #expect(json["__type"] as? String == type, "\(operation) \(body)")
                    if let message { #expect(json["message"] as? String == message) }
                }
            }
            try await check("NoSuchOperation", "{}", "UnknownOperationException")
            try await check("ListKeys", "{not json", "SerializationException")
            try await check("ListKeys", #"{"Limit": "ten"}"#, "SerializationException")
            try await check("Encrypt", #"{"Plaintext": "aGk="}"#, "ValidationException",
                "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
            try await check("GenerateRandom", #"{"NumberOfBytes": 1025}"#, "ValidationException",
                "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
            try await check("Decrypt", #"{"CiphertextBlob": "!!!not base64"}"#, "SerializationException")
            try await check("CreateKey", #"{"KeyUsage": "NOPE"}"#, "ValidationException")
            try await check("CreateKey", #"{"Tags": [{"TagKey": "a"}]}"#, "ValidationException",
                "1 validation error detected: Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null")
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        let setup = try await Setup()
        try await setup.app().test(.router) { client in
            let body = "{\"Description\": \"" + String(repeating: "a", count: 2 << 20) + "\"}"
            try await client.execute(
                uri: "/", method: .post, headers: setup.signedHeaders("CreateKey", body: body), body: ByteBuffer(string: body)
            ) { response in
                let json = try Self.json(response)
                #expect(response.status.code == 413)
                #expect(json["__type"] as? String == "RequestEntityTooLargeException")
            }
        }
    }

    @Test func devModeTakesTheAccountFromTheAccessKey() async throws {
        let setup = try await Setup()
        try await setup.app(dev: true).test(.router) { client in
            let body = "{}"
            let account = "444455556666"
            try await client.execute(
                uri: "/", method: .post, headers: setup.signedHeaders("CreateKey", body: body, accessKeyId: account, secret: "anything"),
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let metadata = try Self.json(response)["KeyMetadata"] as? [String: Any]
                #expect(metadata?["AWSAccountId"] as? String == account)
            }
            try await client.execute(
                uri: "/", method: .post, headers: setup.signedHeaders("CreateKey", body: body, accessKeyId: "test", secret: "test"),
                body: ByteBuffer(string: body)
            ) { response in
                let json = try Self.json(response)
                let metadata = json["KeyMetadata"] as? [String: Any]
                #expect(metadata?["AWSAccountId"] as? String == "000000000000")
            }
        }
    }

    @Test func everyImplementedOperationIsRegistered() {
        #expect(
            OperationRegistry.names == [
                "CancelKeyDeletion", "CreateAlias", "CreateGrant", "CreateKey", "Decrypt", "DeleteAlias", "DeleteImportedKeyMaterial",
                "DeriveSharedSecret", "DescribeKey", "DisableKey", "DisableKeyRotation", "EnableKey", "EnableKeyRotation", "Encrypt",
                "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
                "GenerateDataKeyWithoutPlaintext", "GenerateMac", "GenerateRandom", "GetKeyLastUsage", "GetKeyPolicy",
                "GetKeyRotationStatus", "GetParametersForImport", "GetPublicKey", "ImportKeyMaterial", "ListAliases", "ListGrants",
                "ListKeyPolicies", "ListKeyRotations", "ListKeys", "ListResourceTags", "ListRetirableGrants", "PutKeyPolicy",
                "ReEncrypt", "ReplicateKey", "RetireGrant", "RevokeGrant", "RotateKeyOnDemand", "ScheduleKeyDeletion", "Sign",
                "TagResource", "UntagResource", "UpdateAlias", "UpdateKeyDescription", "UpdatePrimaryRegion", "Verify", "VerifyMac",
            ])
    }
}

extension HTTPField.Name {
    static let amzTarget = HTTPField.Name("X-Amz-Target")!
    static let amzSecurityToken = HTTPField.Name("X-Amz-Security-Token")!
}
