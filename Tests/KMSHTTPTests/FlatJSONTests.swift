import Foundation
import KMSModel
import NIOCore
import Testing

@testable import KMSHTTP

/// The hot operations' fast JSON path must decode exactly what JSONDecoder decodes, hand every
/// other body to JSONDecoder (which also makes the errors), and write responses that parse to
/// what JSONEncoder writes.
struct FlatJSONTests {
    static let blob = Data((0..<40).map { UInt8($0 * 5 % 256) }).base64EncodedString()

    static let plainBodies: [(String, String)] = [
        ("Encrypt", #"{"KeyId":"alias/app","Plaintext":"aGVsbG8="}"#),
        ("Encrypt", #" { "KeyId" : "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" , "Plaintext":"aGVsbG8=", "EncryptionContext":{"tenant":"acmé ✓","a":""}, "GrantTokens":["t1","t2"], "EncryptionAlgorithm":"SYMMETRIC_DEFAULT", "DryRun":false } "#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=","EncryptionAlgorithm":"NOT_AN_ALGORITHM","EncryptionContext":{},"GrantTokens":[]}"#),
        ("Decrypt", #"{"CiphertextBlob":"\#(blob)","EncryptionContext":{"k":"v"},"KeyId":"k","DryRun":true}"#),
        ("Decrypt", #"{"CiphertextBlob":"\#(blob)"}"#),
        ("GenerateDataKey", #"{"KeyId":"k","KeySpec":"AES_256"}"#),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":-0,"EncryptionContext":{"x":"y"},"GrantTokens":["g"]}"#),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":1025}"#),
        ("Sign", #"{"KeyId":"k","Message":"\#(blob)","MessageType":"RAW","SigningAlgorithm":"ECDSA_SHA_256"}"#),
        ("Verify", #"{"KeyId":"k","Message":"\#(blob)","Signature":"\#(blob)","SigningAlgorithm":"ECDSA_SHA_256","MessageType":"DIGEST"}"#),
        ("GenerateMac", #"{"KeyId":"k","Message":"\#(blob)","MacAlgorithm":"HMAC_SHA_256","GrantTokens":["g"]}"#),
        ("ReEncrypt", #"{"CiphertextBlob":"\#(blob)","SourceKeyId":"a","DestinationKeyId":"b","SourceEncryptionContext":{"k":"v"},"DestinationEncryptionContext":{"k":"w"},"SourceEncryptionAlgorithm":"SYMMETRIC_DEFAULT","DestinationEncryptionAlgorithm":"RSAES_OAEP_SHA_1"}"#),
        ("DescribeKey", #"{"KeyId":"alias/app"}"#),
        ("DescribeKey", #"{"KeyId":"k","GrantTokens":["g1","g2"]}"#),
        ("GetPublicKey", #"{"KeyId":"k","GrantTokens":[]}"#),
        ("GenerateRandom", #"{"NumberOfBytes":32}"#),
        ("GenerateRandom", #"{}"#),
        ("GenerateRandom", #"{"NumberOfBytes":0,"CustomKeyStoreId":"cks-1"}"#),
        ("VerifyMac", #"{"KeyId":"k","Message":"\#(blob)","Mac":"\#(blob)","MacAlgorithm":"HMAC_SHA_384","GrantTokens":["g"],"DryRun":true}"#),
        ("VerifyMac", #"{"KeyId":"k","Message":"\#(blob)","Mac":"\#(blob)","MacAlgorithm":"NOT_AN_ALGORITHM"}"#),
    ]

    /// Bodies the flat reader must leave to JSONDecoder: escapes, null, unknown members,
    /// fractions, repeated names, bad base64, syntax faults, nesting, missing members.
    static let fallbackBodies: [(String, String)] = [
        ("Encrypt", #"{"KeyId":"a\/b","Plaintext":"aGVsbG8="}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=","GrantTokens":null}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=","Unknown":"x"}"#),
        ("Encrypt", #"{"KeyId":"k","KeyId":"j","Plaintext":"aGVsbG8="}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"not base64!"}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=",}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=","EncryptionContext":{"a":"1","a":"2"}}"#),
        ("Encrypt", #"{"KeyId":"k"}"#),
        ("Encrypt", #"{"KeyId":5,"Plaintext":"aGVsbG8="}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8=","DryRun":"true"}"#),
        ("Encrypt", #"{"KeyId":"k","Plaintext":"aGVsbG8="} x"#),
        ("Encrypt", "[]"),
        ("Encrypt", ""),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":32.0}"#),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":1e2}"#),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":032}"#),
        ("GenerateDataKey", #"{"KeyId":"k","NumberOfBytes":99999999999999999999}"#),
        ("Decrypt", #"{"CiphertextBlob":"\#(blob)","Recipient":{"AttestationDocument":"eA=="}}"#),
        ("Sign", #"{"KeyId":"k","Message":"\#(blob)"}"#),
        ("DescribeKey", #"{}"#),
        ("DescribeKey", #"{"KeyId":"k","GrantTokens":"g"}"#),
        ("GetPublicKey", #"{"KeyId":null}"#),
        ("GenerateRandom", #"{"NumberOfBytes":"32"}"#),
        ("GenerateRandom", #"{"NumberOfBytes":32,"Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256"}}"#),
        ("VerifyMac", #"{"KeyId":"k","Message":"\#(blob)","MacAlgorithm":"HMAC_SHA_256"}"#),
    ]

    static func flat<Request: FlatDecodable>(_ type: Request.Type, _ body: String) -> Request? {
        var body = body
        return body.withUTF8 { FlatJSONObject.parse(UnsafeRawBufferPointer($0)) }.flatMap { Request(flat: $0) }
    }

    static func foundation<Request: Decodable>(_ type: Request.Type, _ body: String) -> Request? {
        let decoder = JSONDecoder()
        return try? decoder.decode(Request.self, from: Data(body.utf8))
    }

    /// Whether the flat reader and JSONDecoder agree: both decode (to equal values) or the flat
    /// reader declines. `expectFlat` says which must happen.
    static func check(_ operation: String, _ body: String, expectFlat: Bool) {
        func compare<Request: FlatDecodable & Decodable>(_ type: Request.Type) {
            let fast = flat(type, body)
            #expect((fast != nil) == expectFlat, "\(operation): \(body)")
            if let fast {
                let reference = foundation(type, body)
                #expect(reference != nil, "JSONDecoder refused what the flat reader took: \(body)")
                #expect(reference.map(fingerprint) == fingerprint(fast), "\(operation): \(body)")
            }
        }
        switch operation {
        case "Encrypt": compare(EncryptRequest.self)
        case "Decrypt": compare(DecryptRequest.self)
        case "GenerateDataKey": compare(GenerateDataKeyRequest.self)
        case "Sign": compare(SignRequest.self)
        case "Verify": compare(VerifyRequest.self)
        case "GenerateMac": compare(GenerateMacRequest.self)
        case "ReEncrypt": compare(ReEncryptRequest.self)
        case "DescribeKey": compare(DescribeKeyRequest.self)
        case "GetPublicKey": compare(GetPublicKeyRequest.self)
        case "GenerateRandom": compare(GenerateRandomRequest.self)
        case "VerifyMac": compare(VerifyMacRequest.self)
        default: Issue.record("no such operation \(operation)")
        }
    }

    @Test func plainBodiesDecodeAsJSONDecoderDecodesThem() {
        for (operation, body) in Self.plainBodies { Self.check(operation, body, expectFlat: true) }
    }

    @Test func everyOtherBodyIsLeftToJSONDecoder() {
        for (operation, body) in Self.fallbackBodies { Self.check(operation, body, expectFlat: false) }
    }

    /// Through the codec, a fallback body still gets AWS's error from the full path.
    @Test func errorsStillComeFromTheFullPath() {
        #expect(throws: KMSError(.serialization, "The request body is not valid JSON.")) {
            try AWSJSONCodec.decode(EncryptRequest.self, from: ByteBuffer(string: #"{"KeyId":"k","Plaintext":"aGVsbG8=",}"#))
        }
        #expect(throws: KMSError.self) {
            try AWSJSONCodec.decode(EncryptRequest.self, from: ByteBuffer(string: #"{"KeyId":"k"}"#))
        }
    }

    /// ASCII strings skip validation; anything with a high bit set is still validated, so
    /// malformed UTF-8 is refused (and left to JSONDecoder, which rejects the body).
    @Test func stringsAreValidUTF8() {
        func parse(_ bytes: [UInt8]) -> FlatJSONObject? { bytes.withUnsafeBytes { FlatJSONObject.parse($0) } }
        func body(keyId: [UInt8]) -> [UInt8] { Array(#"{"KeyId":""#.utf8) + keyId + Array(#"","Plaintext":"aGVsbG8="}"#.utf8) }
        #expect(parse(body(keyId: Array("alias/app".utf8))) != nil)
        #expect(parse(body(keyId: Array("acmé ✓ 🔑".utf8))) != nil)
        for malformed: [UInt8] in [[0xFF], [0x80], [0xC0, 0xAF], [0xE2, 0x9C], [0xED, 0xA0, 0x80], [0x61, 0xF8, 0x88, 0x80, 0x80, 0x80]] {
            #expect(parse(body(keyId: malformed)) == nil, "\(malformed)")
        }
    }

    static var responseFixtures: [any FlatEncodable & Encodable] {
        let arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let odd = "quote \" backslash \\ newline \n tab \t control \u{01}\u{08}\u{0C} slash / unicode é ✓"
        let bytes = Data((0..<33).map { UInt8($0) })
        return [
            EncryptResponse(ciphertextBlob: bytes, keyId: arn, encryptionAlgorithm: .symmetricDefault),
            DecryptResponse(keyId: odd, plaintext: Data(), encryptionAlgorithm: .symmetricDefault, keyMaterialId: nil),
            DecryptResponse(keyId: arn, plaintext: bytes, encryptionAlgorithm: .symmetricDefault, keyMaterialId: "ab12"),
            GenerateDataKeyResponse(ciphertextBlob: bytes, plaintext: bytes, keyId: arn, keyMaterialId: nil),
            GenerateDataKeyResponse(ciphertextBlob: bytes, plaintext: bytes, keyId: odd, keyMaterialId: "ab12"),
            SignResponse(keyId: arn, signature: bytes, signingAlgorithm: SigningAlgorithmSpec.allCases[0]),
            VerifyResponse(keyId: arn, signatureValid: true, signingAlgorithm: SigningAlgorithmSpec.allCases[1]),
            GenerateMacResponse(mac: bytes, macAlgorithm: MacAlgorithmSpec.allCases[0], keyId: arn),
            ReEncryptResponse(
                ciphertextBlob: bytes, sourceKeyId: arn, keyId: odd, sourceEncryptionAlgorithm: .symmetricDefault,
                destinationEncryptionAlgorithm: .symmetricDefault, sourceKeyMaterialId: "s", destinationKeyMaterialId: nil),
            ReEncryptResponse(
                ciphertextBlob: bytes, sourceKeyId: arn, keyId: arn, sourceEncryptionAlgorithm: .symmetricDefault,
                destinationEncryptionAlgorithm: .rsaesOaepSha256, sourceKeyMaterialId: nil, destinationKeyMaterialId: "d"),
        ] + keyMetadataResponses + adminResponses
    }

    /// Answers of operations outside the data plane that the flat writer also writes.
    static var adminResponses: [any FlatEncodable & Encodable] {
        let created = Date(timeIntervalSince1970: 1_767_225_600.25)
        return [
            EmptyResponse(),
            GetKeyPolicyResponse(policy: #"{"Version":"2012-10-17","Statement":[{"Sid":"a/b","Effect":"Allow"}]}"#, policyName: "default"),
            GetKeyRotationStatusResponse(
                keyRotationEnabled: true, keyId: "k", rotationPeriodInDays: 365, nextRotationDate: created,
                onDemandRotationStartDate: created.addingTimeInterval(60)),
            GetKeyRotationStatusResponse(
                keyRotationEnabled: false, keyId: "k", rotationPeriodInDays: nil, nextRotationDate: nil, onDemandRotationStartDate: nil),
            CreateGrantResponse(grantToken: "token+/=", grantId: "0123abcd"),
            ListAliasesResponse(
                aliases: [
                    AliasListEntry(
                        aliasName: "alias/app", aliasArn: "arn:aws:kms:us-east-1:111122223333:alias/app", targetKeyId: "k",
                        creationDate: created, lastUpdatedDate: created.addingTimeInterval(1)),
                    AliasListEntry(
                        aliasName: "alias/aws/ebs", aliasArn: "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs", targetKeyId: nil,
                        creationDate: nil, lastUpdatedDate: nil),
                ], nextMarker: "alias/aws/ebs"),
            ListAliasesResponse(aliases: [], nextMarker: nil),
            ListResourceTagsResponse(tags: [Tag(tagKey: "team", tagValue: "payments ✓"), Tag(tagKey: "", tagValue: "")], nextMarker: "t"),
        ]
    }

    @Test func responsesParseAsJSONEncodersDo() throws {
        // As AWSJSONCodec configures it for the responses without a flat writer.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        for response in Self.responseFixtures {
            let ours = try AWSJSONCodec.encode(response)
            let theirs = try encoder.encode(response)
            let parsedOurs = try JSONSerialization.jsonObject(with: Data(buffer: ours)) as? NSDictionary
            let parsedTheirs = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
            #expect(parsedOurs != nil && parsedOurs == parsedTheirs, "\(String(decoding: Data(buffer: ours), as: UTF8.self)) against \(String(decoding: theirs, as: UTF8.self))")
        }
    }

    /// A flat writer names its type's members one by one, so one added to the type and not to
    /// the writer would go missing from the answer. Every member of every flat-written response,
    /// and of the structures and list entries inside it (KeyMetadata, alias entries, tags, …),
    /// is set in at least one fixture above, where the comparison with JSONEncoder would show
    /// it missing.
    @Test func everyMemberOfAFlatResponseIsSetInSomeFixture() {
        var set: [String: Set<String>] = [:]
        var all: [String: Set<String>] = [:]
        // The members of a value, and those of the structures and list entries inside it.
        func collect(_ value: Any) {
            let type = String(describing: Swift.type(of: value))
            for member in Mirror(reflecting: value).children {
                guard let label = member.label else { continue }
                all[type, default: []].insert(label)
                let mirror = Mirror(reflecting: member.value)
                // An optional's one child is its value; an absent one has none.
                let present: Any? = mirror.displayStyle == .optional ? mirror.children.first?.value : member.value
                guard let present else { continue }
                set[type, default: []].insert(label)
                let inner = Mirror(reflecting: present)
                if inner.displayStyle == .collection {
                    inner.children.forEach { collect($0.value) }
                } else if inner.displayStyle == .struct, !(present is Date), !(present is Data) {
                    collect(present)
                }
            }
        }
        Self.responseFixtures.forEach(collect)
        #expect(all.count >= 25)
        for (type, members) in all {
            #expect(members.subtracting(set[type] ?? []).isEmpty, "\(type): \(members.subtracting(set[type] ?? []).sorted())")
        }
    }

    /// Key metadata with every member present, and with only the required ones.
    static let fullKeyMetadata: KeyMetadata = {
        var metadata = KeyMetadata(
            awsAccountId: "111122223333", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
            arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            creationDate: Date(timeIntervalSince1970: 1_767_225_600.125), enabled: false, description: "tab \t quote \" é ✓",
            keyUsage: .encryptDecrypt, keyState: .pendingDeletion, deletionDate: Date(timeIntervalSince1970: 1_767_830_400),
            origin: .external, keyManager: .customer, customerMasterKeySpec: .symmetricDefault, keySpec: .symmetricDefault,
            encryptionAlgorithms: [.symmetricDefault], signingAlgorithms: SigningAlgorithmSpec.allCases,
            keyAgreementAlgorithms: [.ecdh], macAlgorithms: MacAlgorithmSpec.allCases, multiRegion: true,
            currentKeyMaterialId: "ab12", validTo: Date(timeIntervalSince1970: 1_800_000_000.5), expirationModel: .keyMaterialExpires)
        metadata.pendingDeletionWindowInDays = 7
        metadata.multiRegionConfiguration = MultiRegionConfiguration(
            multiRegionKeyType: "PRIMARY", primaryKey: MultiRegionKey(arn: metadata.arn, region: "us-east-1"),
            replicaKeys: [
                MultiRegionKey(arn: "arn:aws:kms:eu-west-1:111122223333:key/mrk-1", region: "eu-west-1"),
                MultiRegionKey(arn: "arn:aws:kms:ap-south-1:111122223333:key/mrk-1", region: "ap-south-1"),
            ])
        return metadata
    }()

    static var keyMetadataResponses: [any FlatEncodable & Encodable] {
        var minimal = fullKeyMetadata
        minimal.deletionDate = nil
        minimal.pendingDeletionWindowInDays = nil
        minimal.validTo = nil
        minimal.expirationModel = nil
        minimal.customerMasterKeySpec = nil
        minimal.encryptionAlgorithms = nil
        minimal.signingAlgorithms = nil
        minimal.keyAgreementAlgorithms = nil
        minimal.macAlgorithms = nil
        minimal.currentKeyMaterialId = nil
        minimal.multiRegionConfiguration = MultiRegionConfiguration(multiRegionKeyType: "REPLICA", primaryKey: nil, replicaKeys: [])
        var single = minimal
        single.multiRegionConfiguration = nil
        let entries = (0..<3).map { KeyListEntry(keyId: "k\($0)", keyArn: "arn:aws:kms:us-east-1:111122223333:key/k\($0)") }
        return [
            DescribeKeyResponse(keyMetadata: fullKeyMetadata), CreateKeyResponse(keyMetadata: minimal),
            DescribeKeyResponse(keyMetadata: single), ListKeysResponse(keys: entries, nextMarker: "k2"),
            ListKeysResponse(keys: [], nextMarker: nil),
            GenerateDataKeyWithoutPlaintextResponse(ciphertextBlob: Data([1, 2, 3, 4]), keyId: fullKeyMetadata.arn, keyMaterialId: "m"),
            GenerateDataKeyWithoutPlaintextResponse(ciphertextBlob: Data([1]), keyId: "k", keyMaterialId: nil),
            GenerateRandomResponse(plaintext: Data((0..<32).map { UInt8($0) })),
            VerifyMacResponse(keyId: fullKeyMetadata.arn, macValid: true, macAlgorithm: .hmacSha512),
            GetPublicKeyResponse(
                keyId: fullKeyMetadata.arn, publicKey: Data((0..<91).map { UInt8($0) }), keySpec: .eccNistP256, keyUsage: .signVerify,
                encryptionAlgorithms: nil, signingAlgorithms: [.ecdsaSha256], keyAgreementAlgorithms: nil),
            GetPublicKeyResponse(
                keyId: "k", publicKey: Data([48]), keySpec: .rsa2048, keyUsage: .encryptDecrypt,
                encryptionAlgorithms: [.rsaesOaepSha1, .rsaesOaepSha256], signingAlgorithms: nil, keyAgreementAlgorithms: [.ecdh]),
        ]
    }

    /// A repeated member name sends the body to JSONDecoder wherever it repeats, before and
    /// after the point where the reader starts keeping a set of names.
    @Test(arguments: [nil, 3, 15, 16, 17, 30])
    func repeatedNamesAreFoundInObjectsOfAnySize(repeatingAt position: Int?) {
        var members = (0..<31).map { #""m\#($0)":"v""# }
        if let position { members[position] = #""m1":"again""# }
        var body = "{" + members.joined(separator: ",") + "}"
        let parsed = body.withUTF8 { FlatJSONObject.parse(UnsafeRawBufferPointer($0)) }
        if position == nil {
            #expect(parsed?.members.count == 31)
        } else {
            #expect(parsed == nil)
        }
    }
}

/// Every stored property's value, blobs as base64, dictionaries in key order: equal for equal
/// requests (which are not Equatable).
func fingerprint(_ value: Any) -> String {
    if let data = value as? Data { return "data(\(data.base64EncodedString()))" }
    if let map = value as? [String: String] { return "map(\(map.sorted { $0.key < $1.key }))" }
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let wrapped = mirror.children.first?.value else { return "nil" }
        return "some(\(fingerprint(wrapped)))"
    }
    if mirror.children.isEmpty { return String(reflecting: value) }
    return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? ""): \(fingerprint($0.value))" }.joined(separator: ", ") + ")"
}

struct Base64WriterTests {
    /// Every length modulo three (no padding, one `=`, two), every byte value, and a body that
    /// already holds text: the same characters as Foundation's encoder, after what was there.
    @Test func writesWhatFoundationWrites() {
        var generator = SystemRandomNumberGenerator()
        for count in Array(0...66) + [255, 256, 257, 4096] {
            let data = count == 256 ? Data((0...255).map { UInt8($0) }) : Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var bytes = Array("{\"Blob\":\"".utf8)
            Base64Writer.append(data, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "{\"Blob\":\"" + data.base64EncodedString(), "\(count) bytes")
        }
    }
}
