import ArgumentParser
import Foundation
import KMSCore
import KMSCrypto
import KMSModel
import KMSStorage

/// `trent bench …`: tools for the benchmarks under Benchmarks/.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Tools for the benchmarks.", subcommands: [SeedKeys.self])

    /// Adds many symmetric keys straight through the repository (no HTTP, no audit records), so
    /// the scale benchmark can measure a store of a million keys without a million requests.
    /// Run it with the server stopped.
    struct SeedKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-keys", abstract: "Add N symmetric keys to a data folder (server stopped).")

        @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
        var data: String?
        @Option(help: "How many keys to add.")
        var count: Int
        @Option(help: "Account to add them to (default: the administrator's).")
        var account: String?
        @Option(help: "Region to add them to.")
        var region = "us-east-1"

        func run() async throws {
            let folder = try DataFolder(existing: DataFolder.resolve(data))
            let repository = try folder.openRepository()
            let rootKey = try folder.loadRootKey()
            let administrator = try await repository.administratorAccountId()
            guard let accountId = account ?? administrator else {
                throw ValidationError("no administrator in \(folder.path): pass --account")
            }
            let now = Date()
            let batchSize = 10_000
            var made = 0
            while made < count {
                let items = try (0..<min(batchSize, count - made)).map { _ -> CommitItem in
                    let reference = KeyReference(accountId: accountId, region: region, keyId: UUID().uuidString.lowercased())
                    let (_, bytes) = SymmetricKeyMaterial.generate()
                    let wrapped = try rootKey.wrap(
                        bytes, for: .keyMaterial(account: accountId, region: region, keyId: reference.keyId, version: 1))
                    let material = KeyMaterialRecord(
                        reference: reference, version: 1,
                        materialId: SecureRandom.bytes(32).hexString,
                        wrappedMaterial: wrapped, createdAt: now)
                    let key = KeyRecord(
                        reference: reference, creationDate: now, description: "seeded", keyUsage: .encryptDecrypt,
                        keySpec: .symmetricDefault, keyState: .enabled, origin: .awsKMS, keyManager: .customer)
                    return CommitItem(mutations: [.insertKey(key, material: material, tags: [])], audit: nil)
                }
                _ = try await repository.commit(items)
                made += items.count
            }
            FileHandle.standardOutput.write(Data("seeded \(made) keys in account \(accountId), \(region)\n".utf8))
        }
    }
}
