import Foundation
import Testing

@testable import KMSModel

struct ValidationTests {
    func message(_ body: (inout Validation) -> Void) -> String? {
        var validation = Validation()
        body(&validation)
        do {
            try validation.check()
            return nil
        } catch let error as KMSError {
            #expect(error.code == .validation)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func rangeMessagesMatchAWS() {
        #expect(
            message { $0.range(1025, "numberOfBytes", 1...1024) }
                == "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"
        )
        #expect(
            message { $0.range(0, "numberOfBytes", 1...1024) }
                == "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )
        #expect(message { $0.range(nil, "numberOfBytes", 1...1024) } == nil)
    }

    @Test func blobsAreNamedButNeverEchoed() {
        #expect(
            message { $0.length(Data(count: 4097), "plaintext", 1...4096) }
                == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"
        )
    }

    @Test func stringsAreEchoed() {
        #expect(
            message { $0.length("", "keyId", 1...2048) }
                == "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"
        )
    }

    @Test func severalFailuresAreCountedAndJoined() {
        let text = message {
            $0.range(0, "limit", 1...1000)
            $0.length("", "keyId", 1...2048)
        }
        #expect(text?.hasPrefix("2 validation errors detected: Value '0' at 'limit'") == true)
        #expect(text?.contains("; Value '' at 'keyId'") == true)
    }

    @Test func aliasPatternIsChecked() {
        #expect(
            message { $0.aliasName("alias/bad name") }
                == "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"
        )
        #expect(message { $0.aliasName("alias/good_name-1:x") } == nil)
    }

    @Test func tagsAreReportedByPosition() {
        let long = String(repeating: "k", count: 129)
        #expect(
            message { $0.tags([Tag(tagKey: "ok", tagValue: ""), Tag(tagKey: long, tagValue: "v")]) }
                == "1 validation error detected: Value '\(long)' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"
        )
    }

    @Test func unknownEnumValuesFailValidationNotDecoding() throws {
        let request = try JSONDecoder().decode(
            CreateKeyRequest.self, from: Data(#"{"KeySpec":"AES_512","KeyUsage":"ENCRYPT_DECRYPT"}"#.utf8))
        #expect(request.keySpec == .unknown("AES_512"))
        #expect(request.keyUsage == .known(.encryptDecrypt))
        #expect(throws: KMSError.self) { try request.validate() }
        do {
            try request.validate()
        } catch let error as KMSError {
            #expect(error.message.contains("Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072"))
        }
    }

    @Test func keyMetadataEncodesAWSMemberNames() throws {
        let metadata = KeyMetadata(
            awsAccountId: "111122223333", keyId: "k", arn: "arn:aws:kms:us-east-1:111122223333:key/k",
            creationDate: Date(timeIntervalSince1970: 1), enabled: true, description: "", keyUsage: .encryptDecrypt,
            keyState: .enabled, deletionDate: nil, origin: .awsKMS, keyManager: .customer,
            customerMasterKeySpec: .symmetricDefault, keySpec: .symmetricDefault, encryptionAlgorithms: [.symmetricDefault],
            multiRegion: false, currentKeyMaterialId: nil)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(metadata)) as! [String: Any]
        #expect(json["AWSAccountId"] as? String == "111122223333")
        #expect(json["KeySpec"] as? String == "SYMMETRIC_DEFAULT")
        #expect(json["EncryptionAlgorithms"] as? [String] == ["SYMMETRIC_DEFAULT"])
        #expect(json["DeletionDate"] == nil, "absent members are left out, never null")
    }

    @Test func everyKeySpecPermitsTheUsagesAWSAllows() {
        #expect(KeySpec.symmetricDefault.permittedUsages == [.encryptDecrypt])
        #expect(KeySpec.rsa2048.permittedUsages == [.encryptDecrypt, .signVerify])
        #expect(KeySpec.eccNistP256.permittedUsages == [.signVerify, .keyAgreement])
        #expect(KeySpec.eccSecgP256k1.permittedUsages == [.signVerify])
        #expect(KeySpec.hmac512.permittedUsages == [.generateVerifyMac])
        #expect(KeySpec.sm2.permittedUsages.count == 3)
    }
}
