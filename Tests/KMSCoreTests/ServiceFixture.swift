import Crypto
import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

@testable import KMSCore

/// A service over an in-memory store (or SQLite in a folder), a fixed root key and a manual clock.
struct ServiceFixture {
    let service: KeyManagementService
    let clock = ManualWallClock()
    let repository: any KeyRepository
    let rootKey = FileRootKeyProvider(key: SymmetricKey(size: .bits256))
    let caller = Caller.accountRoot("111122223333", region: "us-east-1", accessKeyId: "AKIATEST")

    init(repository: any KeyRepository = MemoryKeyRepository()) {
        self.repository = repository
        self.service = KeyManagementService(repository: repository, rootKey: rootKey, clock: clock)
    }

    func caller(account: String, region: String = "us-east-1") -> Caller {
        Caller.accountRoot(account, region: region, accessKeyId: "AKIA\(account)")
    }

    func createKey(description: String = "", tags: [Tag]? = nil, as who: Caller? = nil) async throws -> KeyMetadata {
        try await service.createKey(CreateKeyRequest(description: description, tags: tags), caller: who ?? caller).keyMetadata
    }

    func encrypt(_ keyId: String, _ text: String, context: [String: String]? = nil) async throws -> Data {
        try await service.encrypt(
            EncryptRequest(keyId: keyId, plaintext: Data(text.utf8), encryptionContext: context), caller: caller
        ).ciphertextBlob
    }

    func decrypt(_ blob: Data, context: [String: String]? = nil, keyId: String? = nil, as who: Caller? = nil) async throws -> String {
        let response = try await service.decrypt(
            DecryptRequest(ciphertextBlob: blob, encryptionContext: context, keyId: keyId), caller: who ?? caller)
        return String(decoding: response.plaintext, as: UTF8.self)
    }
}

/// Runs `body` and returns the KMSError it threw (or nil).
func kmsError(_ body: () async throws -> Void) async -> KMSError? {
    do {
        try await body()
        return nil
    } catch let error as KMSError {
        return error
    } catch {
        return KMSError(.internalFailure, "unexpected \(error)")
    }
}
