import Foundation
import GRDB
import Testing

@testable import KMSStorage

/// Space written ahead at the end of the database file: the checkpointer tops it up, complete
/// checkpoints keep it, and the database reads back whole with it.
struct DatabaseFileReserveTests {
    static func fileSize(_ path: String) throws -> Int64 {
        Int64(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0)
    }

    /// `count` records of 2 KB, in batches of 50.
    static func commitRecords(_ repository: SQLiteKeyRepository, count: Int, from first: Int = 0) async throws {
        let record = Data(repeating: UInt8(ascii: "r"), count: 2048)
        for start in stride(from: first, to: first + count, by: 50) {
            _ = try await repository.commit((start..<min(start + 50, first + count)).map { number in
                CommitItem(mutations: [], audit: AuditEntry(
                    eventTime: Date(), eventName: "Encrypt\(number)", principalArn: nil, keyArn: nil,
                    secondaryKeyArn: nil, errorCode: nil, record: record))
            })
        }
    }

    static func available(_ repository: SQLiteKeyRepository) async throws -> Int64? {
        try await repository.pool.read { db in DatabaseFileReserve.available(db) }
    }

    /// Polls for up to 5 s until the checkpointer has put at least `bytes` ahead.
    static func waitForReserve(_ repository: SQLiteKeyRepository, atLeast bytes: Int64) async throws -> Int64? {
        var reserve = try await available(repository)
        for _ in 0..<500 where (reserve ?? 0) < bytes {
            try await Task.sleep(for: .milliseconds(10))
            reserve = try await available(repository)
        }
        return reserve
    }

    /// A store in a fresh file holding `records` records and, once its checkpointer has stopped,
    /// 1 MB of space ahead (written by the first checkpoint that copies anything).
    static func storeWithSpaceAhead(records: Int) async throws -> (path: String, repository: SQLiteKeyRepository) {
        let (path, repository) = try WALCheckpointerTests.scratchStore()
        let checkpointer = try await WALCheckpointer(
            repository: repository, interval: .milliseconds(1), reserve: 1 << 20, reserveStep: 1 << 20)
        try await commitRecords(repository, count: records)
        let reserve = try await waitForReserve(repository, atLeast: 1 << 20)
        try await checkpointer.stop()
        #expect(reserve ?? 0 >= 1 << 20)
        return (path, repository)
    }

    @Test func theCheckpointerWritesSpaceAheadUpToItsTarget() async throws {
        let (path, repository) = try WALCheckpointerTests.scratchStore()
        defer { WALCheckpointerTests.remove(path) }
        let checkpointer = try await WALCheckpointer(
            repository: repository, interval: .milliseconds(1), reserve: 1 << 20, reserveStep: 256 << 10)
        // Space is written only by checkpoints that copy something, so only while the store is
        // written: 100 KB at a time here, until the target is reached and a while after.
        var largest: Int64 = 0
        var reachedAfter: Int?
        var written = 0
        while written < 10_000, reachedAfter.map({ written < $0 + 1_000 }) ?? true {
            try await Self.commitRecords(repository, count: 50, from: written)
            written += 50
            try await Task.sleep(for: .milliseconds(2))
            let ahead = try #require(try await Self.available(repository))
            largest = max(largest, ahead)
            if reachedAfter == nil, ahead >= 1 << 20 { reachedAfter = written }
        }
        try await checkpointer.stop()
        #expect(reachedAfter != nil, "\(largest) bytes ahead at most after \(written) records")
        // A checkpoint never puts more than a step past the target.
        #expect(largest <= (1 << 20) + (256 << 10))
        #expect(try await repository.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// SQLite truncates the file to the database's size after a checkpoint that copies the whole
    /// log; the space stays.
    @Test func aCompleteCheckpointKeepsTheSpace() async throws {
        let (path, repository) = try await Self.storeWithSpaceAhead(records: 100)
        defer { WALCheckpointerTests.remove(path) }
        let before = try Self.fileSize(path)
        try await Self.commitRecords(repository, count: 10, from: 100)
        try await repository.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(try Self.fileSize(path) >= before)
        #expect(try await Self.available(repository) ?? 0 > 0)
    }

    /// A store whose file holds space past its pages opens again, reads every record and keeps
    /// writing into that space.
    @Test func aStoreWithSpaceAheadReopensWhole() async throws {
        let (path, repository) = try await Self.storeWithSpaceAhead(records: 300)
        defer { WALCheckpointerTests.remove(path) }
        try repository.pool.close()

        let reopened = try SQLiteKeyRepository(path: path)
        try await Self.commitRecords(reopened, count: 200, from: 300)
        let records = try await reopened.auditRecords(after: 0, limit: 1000)
        #expect(records.map(\.entry.eventName) == (0..<500).map { "Encrypt\($0)" })
        #expect(try await reopened.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        // The database file alone, without its log, is whole too.
        try await reopened.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(try WALCheckpointerTests.recordsInFileAlone(path) == 500)
    }

    /// Without a checkpointer nothing is written ahead, and SQLite's own truncation of a store
    /// without space ahead is unchanged.
    @Test func aStoreWithoutACheckpointerWritesNothingAhead() async throws {
        let (path, repository) = try WALCheckpointerTests.scratchStore()
        defer { WALCheckpointerTests.remove(path) }
        try await Self.commitRecords(repository, count: 200)
        try await repository.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(try await Self.available(repository) == 0)
    }
}
