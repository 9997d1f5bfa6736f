import CompressNIO
import Foundation
import NIOCore
import Testing

@testable import KMSAudit

struct CloudTrailFormatTests {
    func event(time: Date, account: String = "111122223333", error: String? = nil) -> CloudTrailEvent {
        CloudTrailEvent(
            userIdentity: .init(type: "Root", principalId: account, arn: "arn:aws:iam::\(account):root", accountId: account, accessKeyId: "AKIAX"),
            eventTime: time, eventName: "Decrypt", awsRegion: "us-east-1", sourceIPAddress: "127.0.0.1", userAgent: "ua",
            requestParameters: .object(["encryptionContext": .object(["app": .string("x")])]), responseElements: .null,
            additionalEventData: nil, errorCode: error, errorMessage: nil, requestID: "r", eventID: "e", readOnly: true,
            resources: [.init(accountId: account, arn: "arn:aws:kms:us-east-1:\(account):key/k")], recipientAccountId: account)
    }

    @Test func recordsHaveCloudTrailFieldsAndStableBytes() throws {
        let e = event(time: Date(timeIntervalSince1970: 1_767_225_600))
        let bytes = try e.encoded()
        #expect(try e.encoded() == bytes)
        let json = try JSONSerialization.jsonObject(with: bytes) as! [String: Any]
        #expect(json["eventVersion"] as? String == "1.11")
        #expect(json["eventSource"] as? String == "kms.amazonaws.com")
        #expect(json["eventTime"] as? String == "2026-01-01T00:00:00Z")
        #expect(json["eventType"] as? String == "AwsApiCall")
        #expect(json["eventCategory"] as? String == "Management")
        #expect(json["responseElements"] is NSNull, "CloudTrail writes responseElements: null")
        #expect(json["errorCode"] == nil)
        let resources = json["resources"] as? [[String: Any]]
        #expect(resources?.first?["ARN"] as? String == "arn:aws:kms:us-east-1:111122223333:key/k")
        #expect(resources?.first?["type"] as? String == "AWS::KMS::Key")
        #expect(try CloudTrailEvent.decode(bytes) == e)
    }

    @Test func exportGroupsByAccountRegionAndHourAndGzips() throws {
        let t = Date(timeIntervalSince1970: 1_767_225_600)
        let records = try [
            event(time: t), event(time: t.addingTimeInterval(60)), event(time: t.addingTimeInterval(3600)),
            event(time: t, account: "444455556666"),
        ].map { try $0.encoded() }
        let files = try CloudTrailExport.files(for: records)
        #expect(files.count == 3)
        #expect(files[0].records.count == 2)
        #expect(files[0].name.hasPrefix("111122223333_CloudTrail_us-east-1_20260101T0000Z_"))
        #expect(files[0].name.hasSuffix(".json.gz"))

        var compressed = ByteBuffer(bytes: try CloudTrailExport.gzipped(files[0]))
        let json = try compressed.decompress(with: CompressionAlgorithm.gzip())
        let log = try JSONSerialization.jsonObject(with: Data(json.readableBytesView)) as! [String: Any]
        #expect((log["Records"] as? [[String: Any]])?.count == 2)
    }
}

extension CloudTrailFormatTests {
    /// The hand-written encoding is what Foundation's encoder makes with sorted keys, byte for byte.
    @Test func handWrittenEncodingMatchesFoundationsSortedOutput() throws {
        var e = event(time: Date(timeIntervalSince1970: 1_767_225_600), error: "InvalidCiphertextException")
        e.errorMessage = "quote \" backslash \\ newline \n tab \t control \u{01} slash / unicode é ✓"
        e.additionalEventData = .object(["keyMaterialId": .string("ab"), "z": .int(-3), "a": .bool(false), "n": .null])
        e.responseElements = .object(["list": .array([.string("x"), .object(["b": .int(1), "a": .int(2)])])])
        e.userIdentity.principalId = nil
        e.userIdentity.invokedBy = "kms.amazonaws.com"
        // Objects up to six members are ordered without sorting an array, larger ones by sorting:
        // six and seven members here, keys in every class of character.
        e.serviceEventDetails = .object([
            "keyId": .string("k"), "b": .int(1), "A": .int(2), "a_b": .int(3), "z9": .int(4), "a": .int(5),
        ])
        e.requestParameters = .object([
            "keyId": .string("k"), "b": .int(1), "A": .int(2), "a_b": .int(3), "z9": .int(4), "a": .int(5), "Zz": .null,
        ])
        e.eventType = "AwsServiceEvent"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let foundation = try encoder.encode(e)
        let ours = try e.encoded()
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
        #expect(try CloudTrailEvent.decode(ours) == e)
    }
}

extension CloudTrailFormatTests {
    /// IAM users and assumed-role sessions, in CloudTrail's shapes, still byte for byte Foundation's.
    @Test func userAndSessionIdentitiesEncodeAsFoundationDoes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var user = event(time: Date(timeIntervalSince1970: 1_767_225_600))
        user.userIdentity = .init(
            type: "IAMUser", principalId: "AIDAEXAMPLE0000000001", arn: "arn:aws:iam::111122223333:user/alice",
            accountId: "111122223333", accessKeyId: "AKIAX", userName: "alice")
        var session = event(time: Date(timeIntervalSince1970: 1_767_225_600))
        session.eventSource = "sts.amazonaws.com"
        session.userIdentity = .init(
            type: "AssumedRole", principalId: "AROAEXAMPLE0000000001:s1", arn: "arn:aws:sts::111122223333:assumed-role/reader/s1",
            accountId: "111122223333", accessKeyId: "ASIAX",
            sessionContext: .init(
                sessionIssuer: .init(
                    type: "Role", principalId: "AROAEXAMPLE0000000001", arn: "arn:aws:iam::111122223333:role/reader",
                    accountId: "111122223333", userName: "reader"),
                attributes: .init(creationDate: "2026-01-01T00:00:00Z", mfaAuthenticated: "false")))
        for e in [user, session] {
            let ours = try e.encoded()
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: try encoder.encode(e), as: UTF8.self))
            #expect(try CloudTrailEvent.decode(ours) == e)
        }
        let json = try JSONSerialization.jsonObject(with: try session.encoded()) as! [String: Any]
        let identity = json["userIdentity"] as! [String: Any]
        let context = identity["sessionContext"] as! [String: Any]
        #expect((context["sessionIssuer"] as? [String: String])?["type"] == "Role")
        #expect((context["attributes"] as? [String: String])?["mfaAuthenticated"] == "false")
    }
}
