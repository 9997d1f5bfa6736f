import Foundation
import KMSModel
import KMSStorage
import Testing

@testable import KMSCore

struct SymmetricOperationTests {
    @Test func encryptDecryptRoundTripsByEveryIdentifierForm() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        _ = try await f.service.createAlias(CreateAliasRequest(aliasName: "alias/app", targetKeyId: key.keyId), caller: f.caller)
        for identifier in [key.keyId, key.arn, "alias/app", "arn:aws:kms:us-east-1:111122223333:alias/app"] {
            let blob = try await f.encrypt(identifier, "hello", context: ["purpose": "test"])
            #expect(try await f.decrypt(blob, context: ["purpose": "test"]) == "hello")
            #expect(try await f.decrypt(blob, context: ["purpose": "test"], keyId: identifier) == "hello")
        }
    }

    @Test func decryptAnswersWithTheKeyArnAndMaterialId() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "x")
        let response = try await f.service.decrypt(DecryptRequest(ciphertextBlob: blob), caller: f.caller)
        #expect(response.keyId == key.arn)
        #expect(response.encryptionAlgorithm == .symmetricDefault)
        #expect(response.keyMaterialId == key.currentKeyMaterialId)
        #expect(response.keyMaterialId?.count == 64)
    }

    @Test func wrongContextOrBlobIsInvalidCiphertextWithNoMessage() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "x", context: ["a": "1"])
        for context: [String: String]? in [nil, ["a": "2"], ["a": "1", "b": "2"]] {
            let error = await kmsError { _ = try await f.decrypt(blob, context: context) }
            #expect(error == KMSError(.invalidCiphertext, ""))
        }
        var flipped = blob
        flipped[flipped.count / 2] ^= 0x01
        #expect(await kmsError { _ = try await f.decrypt(flipped, context: ["a": "1"]) }?.code == .invalidCiphertext)
        #expect(await kmsError { _ = try await f.decrypt(Data("garbage".utf8)) }?.code == .invalidCiphertext)
    }

    @Test func keyIdThatIsNotTheBlobsKeyIsIncorrectKey() async throws {
        let f = ServiceFixture()
        let a = try await f.createKey()
        let b = try await f.createKey()
        let blob = try await f.encrypt(a.keyId, "x")
        let error = await kmsError { _ = try await f.decrypt(blob, keyId: b.keyId) }
        #expect(error == KMSError(.incorrectKey, "The key ID in the request does not identify a CMK that can perform this operation."))
    }

    @Test func disabledAndPendingDeletionKeysRefuseWork() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "x")
        _ = try await f.service.disableKey(DisableKeyRequest(keyId: key.keyId), caller: f.caller)
        #expect(await kmsError { _ = try await f.encrypt(key.keyId, "x") } == KMSError(.disabled, "\(key.arn) is disabled."))
        #expect(await kmsError { _ = try await f.decrypt(blob) }?.code == .disabled)
        _ = try await f.service.scheduleKeyDeletion(ScheduleKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        #expect(
            await kmsError { _ = try await f.encrypt(key.keyId, "x") }
                == KMSError(.invalidState, "\(key.arn) is pending deletion."))
        _ = try await f.service.cancelKeyDeletion(CancelKeyDeletionRequest(keyId: key.keyId), caller: f.caller)
        _ = try await f.service.enableKey(EnableKeyRequest(keyId: key.keyId), caller: f.caller)
        #expect(try await f.decrypt(blob) == "x")
    }

    @Test func reEncryptMovesCiphertextToAnotherKeyAndContext() async throws {
        let f = ServiceFixture()
        let a = try await f.createKey()
        let b = try await f.createKey()
        let blob = try await f.encrypt(a.keyId, "payload", context: ["from": "a"])
        let response = try await f.service.reEncrypt(
            ReEncryptRequest(
                ciphertextBlob: blob, destinationKeyId: b.arn, sourceEncryptionContext: ["from": "a"],
                destinationEncryptionContext: ["to": "b"]),
            caller: f.caller)
        #expect(response.sourceKeyId == a.arn)
        #expect(response.keyId == b.arn)
        #expect(try await f.decrypt(response.ciphertextBlob, context: ["to": "b"]) == "payload")
        #expect(try await f.decrypt(response.ciphertextBlob, context: ["to": "b"], keyId: b.keyId) == "payload")
        let wrongSource = await kmsError {
            _ = try await f.service.reEncrypt(
                ReEncryptRequest(
                    ciphertextBlob: blob, destinationKeyId: b.keyId, sourceEncryptionContext: ["from": "a"], sourceKeyId: b.keyId),
                caller: f.caller)
        }
        #expect(wrongSource?.code == .incorrectKey)
    }

    @Test func dataKeysDecryptToTheirPlaintext() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        for (spec, count) in [(DataKeySpec.aes256, 32), (.aes128, 16)] {
            let response = try await f.service.generateDataKey(
                GenerateDataKeyRequest(keyId: key.keyId, keySpec: spec, encryptionContext: ["k": "v"]), caller: f.caller)
            #expect(response.plaintext.count == count)
            let decrypted = try await f.service.decrypt(
                DecryptRequest(ciphertextBlob: response.ciphertextBlob, encryptionContext: ["k": "v"]), caller: f.caller)
            #expect(decrypted.plaintext == response.plaintext)
        }
        let sized = try await f.service.generateDataKeyWithoutPlaintext(
            GenerateDataKeyRequest(keyId: key.keyId, numberOfBytes: 7), caller: f.caller)
        let opened = try await f.service.decrypt(DecryptRequest(ciphertextBlob: sized.ciphertextBlob), caller: f.caller)
        #expect(opened.plaintext.count == 7)
        for request in [
            GenerateDataKeyRequest(keyId: key.keyId), GenerateDataKeyRequest(keyId: key.keyId, keySpec: .aes256, numberOfBytes: 32),
        ] {
            let error = await kmsError { _ = try await f.service.generateDataKey(request, caller: f.caller) }
            #expect(error?.code == .validation)
        }
    }

    @Test func dryRunSucceedsWithoutDoingTheWork() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        var request = EncryptRequest(keyId: key.keyId, plaintext: Data("x".utf8))
        request.dryRun = true
        #expect(await kmsError { _ = try await f.service.encrypt(request, caller: f.caller) }?.code == .dryRunOperation)
    }

    @Test func generateRandomReturnsTheAskedLength() async throws {
        let f = ServiceFixture()
        let a = try await f.service.generateRandom(GenerateRandomRequest(numberOfBytes: 1024), caller: f.caller)
        let b = try await f.service.generateRandom(GenerateRandomRequest(numberOfBytes: 1024), caller: f.caller)
        #expect(a.plaintext.count == 1024)
        #expect(a.plaintext != b.plaintext)
        #expect(
            await kmsError { _ = try await f.service.generateRandom(GenerateRandomRequest(numberOfBytes: nil), caller: f.caller) }
                == KMSError(.validation, "NumberOfBytes is required."))
    }

    @Test func anotherAccountCannotUseTheKeyWithoutAPolicy() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let blob = try await f.encrypt(key.keyId, "x")
        let outsider = f.caller(account: "444455556666")
        let error = await kmsError { _ = try await f.decrypt(blob, as: outsider) }
        #expect(error?.code == .accessDenied)
        #expect(error?.message.contains("User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Decrypt") == true)
        // By bare id the key is simply not in the outsider's account.
        let described = await kmsError {
            _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.keyId), caller: outsider)
        }
        #expect(described == KMSError(.notFound, "Key 'arn:aws:kms:us-east-1:444455556666:key/\(key.keyId)' does not exist"))
    }

    @Test func regionsAreSeparateNamespaces() async throws {
        let f = ServiceFixture()
        let key = try await f.createKey()
        let europe = f.caller(account: "111122223333", region: "eu-west-1")
        let byArn = await kmsError { _ = try await f.service.describeKey(DescribeKeyRequest(keyId: key.arn), caller: europe) }
        #expect(byArn == KMSError(.notFound, "Invalid arn us-east-1"))
        let listed = try await f.service.listKeys(ListKeysRequest(), caller: europe)
        #expect(listed.keys.isEmpty)
    }
}
