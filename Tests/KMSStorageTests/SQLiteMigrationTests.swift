import Foundation
import GRDB
import KMSModel
import Testing

@testable import KMSStorage

/// Stores written by an earlier version open under the current schema with their data intact.
struct SQLiteMigrationTests {
    /// v8 gives every material of an EXTERNAL key its own import state: a key whose material was
    /// imported keeps it (with the key's expiry), and a key whose only material was deleted under
    /// v4–v7 (no row, only the material id on the key) gets that material's row back, pending import.
    @Test func importedMaterialOfAv7StoreKeepsItsStateUnderV8() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-v7-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let created = 1_767_225_600.0
        let validTo = created + 86400 * 30
        let imported = String(repeating: "a", count: 64)
        let deleted = String(repeating: "d", count: 64)
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteKeyRepository.migrator.migrate(queue, upTo: "v7-principals")
            try await queue.write { db in
                for (id, state, model, until, materialId) in [
                    ("k-imported", "Enabled", "KEY_MATERIAL_EXPIRES", validTo as Double?, imported),
                    ("k-deleted", "PendingImport", nil, nil, deleted),
                ] {
                    try db.execute(
                        sql: """
                            INSERT INTO keys (account_id, region, key_id, creation_date, description, key_usage, key_spec,
                                key_state, origin, key_manager, multi_region, current_version, valid_to, expiration_model,
                                imported_material_id)
                            VALUES ('111122223333', 'us-east-1', ?, ?, '', 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', ?,
                                'EXTERNAL', 'CUSTOMER', 0, 1, ?, ?, ?)
                            """,
                        arguments: [id, created, state, until, model, materialId])
                }
                try db.execute(
                    sql: """
                        INSERT INTO key_materials (account_id, region, key_id, version, material_id, wrapped_material, created_at)
                        VALUES ('111122223333', 'us-east-1', 'k-imported', 1, ?, X'010203', ?)
                        """,
                    arguments: [imported, created])
            }
        }
        let repository = try SQLiteKeyRepository(path: path)
        let reference = { KeyReference(accountId: "111122223333", region: "us-east-1", keyId: $0) }
        let date = Date(timeIntervalSince1970: created)
        #expect(
            try await repository.importedMaterials(reference("k-imported")) == [
                ImportedMaterialRecord(
                    reference: reference("k-imported"), version: 1, materialId: imported,
                    state: .imported(.keyMaterialExpires, validTo: Date(timeIntervalSince1970: validTo)), description: nil,
                    createdAt: date, rotationType: nil)
            ])
        #expect(try await repository.material(reference("k-imported"), version: 1)?.wrappedMaterial == Data([1, 2, 3]))
        #expect(try await repository.scheduledWork(dueBy: nil, limit: 10).map(\.materialId) == [imported])
        #expect(
            try await repository.importedMaterials(reference("k-deleted")) == [
                ImportedMaterialRecord(
                    reference: reference("k-deleted"), version: 1, materialId: deleted, state: .pendingImport, description: nil,
                    createdAt: date, rotationType: nil)
            ])
        #expect(try await repository.material(reference("k-deleted"), version: 1) == nil)
        #expect(try await repository.key(reference("k-deleted"))?.keyState == .pendingImport)
    }
}
