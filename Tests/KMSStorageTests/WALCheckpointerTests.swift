import Foundation
import GRDB
import Synchronization
import Testing

@testable import KMSStorage

/// The checkpointer copies the write-ahead log into the database file between commits, and the
/// log stays bounded.
struct WALCheckpointerTests {
    /// Records in a copy of the database file alone, without its log: what checkpoints have
    /// moved into the file. Nil while the file has no audit table yet, or when the copy caught a
    /// checkpoint halfway through writing pages (a torn copy, which SQLite calls malformed):
    /// callers poll, and the next copy is whole.
    static func recordsInFileAlone(_ path: String) throws -> Int? {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("trent-copy-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        do {
            return try DatabaseQueue(path: copy).read { db in
                try db.tableExists("audit_records") ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_records") : nil
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            return nil
        }
    }

    /// A store in a fresh temporary file; `remove` deletes it with its log and side files.
    static func scratchStore() throws -> (path: String, repository: SQLiteKeyRepository) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trent-wal-\(UUID().uuidString).sqlite").path
        return (path, try SQLiteKeyRepository(path: path))
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".principal-changes"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Commits one small audit record.
    static func commitOne(_ repository: SQLiteKeyRepository) async throws {
        _ = try await repository.commit([
            CommitItem(mutations: [], audit: AuditEntry(
                eventTime: Date(), eventName: "Encrypt", principalArn: nil, keyArn: nil, secondaryKeyArn: nil,
                errorCode: nil, record: Data("{}".utf8)))
        ])
    }

    /// Polls for up to 5 s until the database file alone holds `count` records; returns what it
    /// last saw.
    static func waitForRecordsInFile(_ path: String, count: Int) async throws -> Int? {
        var inFile: Int?
        for _ in 0..<500 where inFile != count {
            try await Task.sleep(for: .milliseconds(10))
            inFile = try recordsInFileAlone(path)
        }
        return inFile
    }

    /// Under steady writes the log must keep starting over: the background checkpoints race the
    /// writer and never finish the log on their own, so the writer's own checkpoints stay on.
    @Test func theLogStaysBoundedUnderSteadyWrites() async throws {
        let (path, repository) = try Self.scratchStore()
        defer { Self.remove(path) }
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(1))
        // About 40 MB of records, ten times the 1,000 pages at which the writer checkpoints.
        let record = Data(repeating: UInt8(ascii: "x"), count: 2048)
        var largestLog = 0
        for batch in 0..<200 {
            _ = try await repository.commit((0..<100).map { index in
                CommitItem(mutations: [], audit: AuditEntry(
                    eventTime: Date(), eventName: "Encrypt\(batch * 100 + index)", principalArn: nil, keyArn: nil,
                    secondaryKeyArn: nil, errorCode: nil, record: record))
            })
            let size = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            largestLog = max(largestLog, size)
        }
        try await checkpointer.stop()
        #expect(largestLog < 12 << 20, "the log grew to \(largestLog) bytes")
        #expect(try Self.recordsInFileAlone(path) == 20_000)
    }

    @Test func theCheckpointerCopiesTheLogOnItsTimer() async throws {
        let (path, repository) = try Self.scratchStore()
        defer { Self.remove(path) }
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(10))
        defer { Task { try await checkpointer.stop() } }
        try await Self.commitOne(repository)
        #expect(try await Self.waitForRecordsInFile(path, count: 1) == 1)
    }

    /// Passes back off while the log is unchanged; the first commit after a quiet spell is
    /// copied all the same.
    @Test func aCommitAfterAQuietSpellIsCopied() async throws {
        let (path, repository) = try Self.scratchStore()
        defer { Self.remove(path) }
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(5))
        defer { Task { try await checkpointer.stop() } }
        for expected in 1...2 {
            try await Self.commitOne(repository)
            #expect(try await Self.waitForRecordsInFile(path, count: expected) == expected)
            // Quiet: the passes find the log as they left it and back off.
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A checkpoint that meets another one running (under load, the writer's own) skips its turn
    /// quietly and copies the log at a later one.
    @Test func meetingAnotherCheckpointIsNotAFailure() async throws {
        let (path, repository) = try Self.scratchStore()
        defer { Self.remove(path) }
        try await Self.commitOne(repository)
        let failures = Mutex<[String]>([])
        let checkpointer = try await WALCheckpointer(repository: repository, interval: .milliseconds(5)) { error in
            failures.withLock { $0.append("\(error)") }
        }
        defer { Task { try await checkpointer.stop() } }

        // A full checkpoint holds the checkpoint lock while it waits for a reader of an older
        // snapshot, here for 300 ms; the timer meets it about 60 times.
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: unsafe)
        try reader.inDatabase { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_records")
        }
        try await Self.commitOne(repository)
        var waiting = Configuration()
        waiting.busyMode = .timeout(0.3)
        let full = try DatabaseQueue(path: path, configuration: waiting)
        _ = try? await full.writeWithoutTransaction { db in try db.checkpoint(.full) }
        try reader.inDatabase { db in try db.execute(sql: "COMMIT") }

        #expect(try await Self.waitForRecordsInFile(path, count: 2) == 2)
        #expect(failures.withLock { $0 } == [])
    }
}
