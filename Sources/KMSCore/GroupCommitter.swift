import KMSStorage

/// Commits requests' changes and audit records in batches: while one batch is being written
/// (one transaction, one disk flush), the next gathers, so the cost of the flush is shared by
/// every request waiting on it. No request is answered before its batch is durable.
actor GroupCommitter {
    private let repository: any KeyRepository
    private var pending: [(item: CommitItem, waiter: CheckedContinuation<CommitOutcome, any Error>)] = []
    private var draining = false
    private(set) var statistics = CommitStatistics()

    init(repository: any KeyRepository) {
        self.repository = repository
    }

    func commit(_ item: CommitItem) async throws -> CommitOutcome {
        try await withCheckedThrowingContinuation { waiter in
            pending.append((item, waiter))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let outcomes = try await repository.commit(batch.map(\.item))
                statistics.transactions += 1
                statistics.items += batch.count
                statistics.largestBatch = max(statistics.largestBatch, batch.count)
                for (entry, outcome) in zip(batch, outcomes) { entry.waiter.resume(returning: outcome) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
        draining = false
    }
}

/// How well group commit is sharing disk flushes.
public struct CommitStatistics: Sendable, Equatable {
    /// Transactions committed (one disk flush each).
    public var transactions = 0
    /// Requests committed in them.
    public var items = 0
    public var largestBatch = 0

    public var itemsPerTransaction: Double { transactions == 0 ? 0 : Double(items) / Double(transactions) }
}
