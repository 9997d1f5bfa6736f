import Foundation
import Testing

@testable import KMSCrypto

struct FileRootKeyProviderTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trent-root-\(UUID().uuidString)").path
    }

    @Test func createsAnOwnerOnlyKeyFileOnceAndReloadsIt() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (first, created) = try FileRootKeyProvider.loadOrCreate(at: path)
        #expect(created)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)

        let wrapped = try first.wrap(Data("material".utf8), for: WrappingContext("a"))
        let (second, createdAgain) = try FileRootKeyProvider.loadOrCreate(at: path)
        #expect(!createdAgain)
        #expect(try second.unwrap(wrapped, for: WrappingContext("a")) == Data("material".utf8))
    }

    @Test func wrappedSecretsAreBoundToTheirContext() throws {
        let (provider, _) = try FileRootKeyProvider.loadOrCreate(at: temporaryPath())
        let context = WrappingContext.keyMaterial(account: "111122223333", region: "us-east-1", keyId: "k", version: 1)
        let wrapped = try provider.wrap(Data("material".utf8), for: context)
        #expect(!wrapped.contains(Data("material".utf8)))
        let otherVersion = WrappingContext.keyMaterial(account: "111122223333", region: "us-east-1", keyId: "k", version: 2)
        #expect(throws: RootKeyError.unwrapFailed) { try provider.unwrap(wrapped, for: otherVersion) }
        var tampered = wrapped
        tampered[tampered.count - 1] ^= 1
        #expect(throws: RootKeyError.unwrapFailed) { try provider.unwrap(tampered, for: context) }
        #expect(throws: RootKeyError.unwrapFailed) { try provider.unwrap(Data([1, 2, 3]), for: context) }
    }

    @Test func anotherRootKeyCannotUnwrap() throws {
        let (a, _) = try FileRootKeyProvider.loadOrCreate(at: temporaryPath())
        let (b, _) = try FileRootKeyProvider.loadOrCreate(at: temporaryPath())
        let wrapped = try a.wrap(Data("x".utf8), for: WrappingContext("c"))
        #expect(throws: RootKeyError.unwrapFailed) { try b.unwrap(wrapped, for: WrappingContext("c")) }
    }

    @Test func aTruncatedKeyFileIsRefused() throws {
        let path = temporaryPath()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: RootKeyError.self) { try FileRootKeyProvider.loadOrCreate(at: path) }
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = [0x00, 0x01, 0xAB, 0xFF, 0x10]
        #expect(bytes.hexString == "0001abff10")
        #expect(Data(hex: "0001ABff10") == Data(bytes))
        #expect(Data(hex: "abc") == nil)
        #expect(Data(hex: "zz") == nil)
    }
}
