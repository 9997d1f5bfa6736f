import Foundation
import GRDB
import Testing

@testable import KMSStorage

/// Commits leave the write-ahead log to the checkpointer: none of them copies the log into the
/// database file, and the checkpointer does.
struct WALCheckpointerTests {
    /// Records in a copy of the database file alone, without its log: what checkpoints have
    /// moved into the file. Nil while the file has no audit table yet.
    static func recordsInFileAlone(_ path: String) throws -> Int? {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("trent-copy-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        return try DatabaseQueue(path: copy).read { db in
            try db.tableExists("audit_records") ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_records") : nil
        }
    }

    @Test func commitsDoNotCheckpointAndTheCheckpointerDoes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-wal-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".principal-changes"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let repository = try SQLiteKeyRepository(path: path)
        // The schema goes into the file first, so the copies below can be read.
        _ = try await repository.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(try Self.recordsInFileAlone(path) == 0)

        let checkpointer = try await WALCheckpointer(repository: repository, interval: .seconds(3600))
        // About 6 MB of records: past the 1,000 pages at which a commit would checkpoint.
        let record = Data(repeating: UInt8(ascii: "x"), count: 2048)
        for batch in 0..<30 {
            _ = try await repository.commit((0..<100).map { index in
                CommitItem(mutations: [], audit: AuditEntry(
                    eventTime: Date(), eventName: "Encrypt\(batch * 100 + index)", principalArn: nil, keyArn: nil,
                    secondaryKeyArn: nil, errorCode: nil, record: record))
            })
        }
        #expect(try Self.recordsInFileAlone(path) == 0)
        #expect(try await repository.auditRecords(after: 0, limit: 5000).count == 3000)

        try await checkpointer.stop()
        #expect(try Self.recordsInFileAlone(path) == 3000)
    }

    @Test func theCheckpointerCopiesTheLogOnItsTimer() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-wal-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".principal-changes"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let repository = try SQLiteKeyRepository(path: path)
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(10))
        defer { Task { try await checkpointer.stop() } }
        _ = try await repository.commit([
            CommitItem(mutations: [], audit: AuditEntry(
                eventTime: Date(), eventName: "Encrypt", principalArn: nil, keyArn: nil, secondaryKeyArn: nil,
                errorCode: nil, record: Data("{}".utf8)))
        ])
        var inFile: Int?
        for _ in 0..<500 where inFile != 1 {
            try await Task.sleep(for: .milliseconds(10))
            inFile = try Self.recordsInFileAlone(path)
        }
        #expect(inFile == 1)
    }
}
