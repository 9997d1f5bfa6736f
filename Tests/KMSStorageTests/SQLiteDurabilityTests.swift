import Foundation
import GRDB
import Testing

@testable import KMSStorage

/// Every commit is flushed to disk before it returns: the writer runs with `synchronous = FULL`
/// although GRDB turns WAL mode on with NORMAL.
struct SQLiteDurabilityTests {
    @Test func theWriterFlushesEveryCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-sync-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".principal-changes"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        for _ in 0..<2 {  // a new store, then the same store reopened
            let repository = try SQLiteKeyRepository(path: path)
            let mode = try await repository.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(mode == 2, "FULL")
            let journal = try await repository.pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(journal == "wal")
        }
    }
}
