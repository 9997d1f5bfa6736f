import KMSStorage

/// Commits requests' changes and audit records in batches: while one batch is being written
/// (one transaction, one disk flush), the next gathers, so the cost of the flush is shared by
/// every request waiting on it. No request is answered before its batch is durable.
actor GroupCommitter {
    private let repository: any KeyRepository
    private var pending: [(item: CommitItem, waiter: CheckedContinuation<CommitOutcome, any Error>)] = []
    private var draining = false

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
                for (entry, outcome) in zip(batch, outcomes) { entry.waiter.resume(returning: outcome) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
        draining = false
    }
}
