import Foundation
import Testing
@testable import KMSCore
@testable import KMSStorage

/// Group commit over the embedded SQLite store, which the committer writes from a thread of
/// its own.
struct GroupCommitterTests {
    static func temporaryStore() throws -> SQLiteKeyRepository {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteKeyRepository(path: folder.appendingPathComponent("trent.sqlite").path)
    }

    static func item(_ number: Int) -> CommitItem {
        CommitItem(mutations: [], audit: AuditEntry(
            eventTime: Date(), eventName: "Encrypt\(number)", principalArn: nil, keyArn: nil,
            secondaryKeyArn: nil, errorCode: nil, record: Data("record \(number)".utf8)))
    }

    @Test func concurrentCommitsShareTransactionsAndEachGetsItsOwnRecord() async throws {
        let store = try Self.temporaryStore()
        #expect(store.synchronousCommit != nil)
        let committer = GroupCommitter(repository: CachingKeyRepository(store))
        let outcomes = try await withThrowingTaskGroup(of: (Int, CommitOutcome).self) { group in
            for number in 0..<300 {
                group.addTask { (number, try await committer.commit(Self.item(number))) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        let sequences = outcomes.values.compactMap { outcome -> Int64? in
            if case .committed(let sequence) = outcome { return sequence }
            return nil
        }
        #expect(Set(sequences) == Set(1...300))
        // Each answer names the record of its own item.
        let records = try await store.auditRecords(after: 0, limit: 1000)
        for (number, outcome) in outcomes {
            guard case .committed(let sequence?) = outcome else { continue }
            #expect(records.first { $0.sequence == sequence }?.entry.eventName == "Encrypt\(number)")
        }
        let statistics = committer.statistics
        #expect(statistics.items == 300)
        #expect(statistics.largestBatch > 1, "300 concurrent commits were written one by one")
        #expect(statistics.transactions < 300)
    }

    /// A store that answers for fewer items than it was given leaves no request waiting and
    /// none acknowledged: every request of the batch fails.
    @Test func aStoreThatLosesAnOutcomeFailsTheWholeBatch() async throws {
        let store = MemoryKeyRepository()
        let committer = GroupCommitter(repository: store, synchronousCommit: { items in
            items.dropLast().map { _ in CommitOutcome.committed(sequence: nil) }
        })
        let results = await withTaskGroup(of: Result<CommitOutcome, any Error>.self) { group in
            for number in 0..<50 {
                group.addTask {
                    do {
                        return .success(try await committer.commit(Self.item(number)))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 50)
        for result in results {
            #expect(throws: RepositoryError.self) { try result.get() }
        }
        _ = store
    }

    @Test func theCommitThreadEndsWithItsCommitter() async throws {
        // The thread's commit function holds the store's connection pool, and nothing else does
        // once the store and the committer are gone.
        weak var released: AnyObject?
        do {
            let store = try Self.temporaryStore()
            released = store.pool
            let committer = GroupCommitter(repository: store)
            _ = try await committer.commit(Self.item(1))
        }
        let deadline = Date().addingTimeInterval(5)
        while released != nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(released == nil, "the commit thread outlived its committer")
    }
}
