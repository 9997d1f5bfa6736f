import Foundation
import KMSStorage

/// Commits requests' changes and audit records in batches: while one batch is being written
/// (one transaction, one disk flush), the next gathers, so the cost of the flush is shared by
/// every request waiting on it. No request is answered before its batch is durable.
///
/// A store that commits synchronously (the embedded SQLite store) is written by a thread of the
/// committer's own, which takes the next batch the moment a flush returns. A task between
/// batches had to wait its turn on an event loop busy with requests: the writer then sat idle
/// for longer than the flush took, and so did the requests waiting on it. Other stores are
/// written by a task, one batch after another.
final class GroupCommitter: Sendable {
    /// Unchecked: a checked continuation allocated a canary per request. Every waiter is
    /// resumed exactly once, by `answer`, which fails any a store leaves without an outcome.
    typealias Waiter = UnsafeContinuation<CommitOutcome, any Error>

    private let repository: any KeyRepository
    private let queue: Queue

    convenience init(repository: any KeyRepository) {
        self.init(repository: repository, synchronousCommit: repository.synchronousCommit)
    }

    /// `synchronousCommit` is the store's own; tests hand in others.
    init(repository: any KeyRepository, synchronousCommit commit: (@Sendable ([CommitItem]) throws -> [CommitOutcome])?) {
        self.repository = repository
        queue = Queue(hasThread: commit != nil)
        if let commit {
            let queue = self.queue
            let thread = Thread {
                #if os(Linux)
                // Named from inside, for `ps` and `perf`: Foundation on Linux does not pass on a
                // name set before start, and Glibc's module lacks pthread_setname_np.
                try? Data("trent-commit".utf8).write(to: URL(fileURLWithPath: "/proc/thread-self/comm"))
                #endif
                Self.write(queue, with: commit)
            }
            thread.start()
        }
    }

    deinit {
        queue.stop()
    }

    var statistics: CommitStatistics { queue.statistics }

    func commit(_ item: CommitItem) async throws -> CommitOutcome {
        try await withUnsafeThrowingContinuation { waiter in
            if queue.add(item, waiter) {
                Task { await self.drain() }
            }
        }
    }

    /// The committer's thread: one batch after another, until the committer goes away.
    private static func write(_ queue: Queue, with commit: @Sendable ([CommitItem]) throws -> [CommitOutcome]) {
        while let batch = queue.nextBatch() {
            queue.answer(batch, Result { try commit(batch.map(\.item)) })
        }
    }

    /// Without a thread: a task drains the queue until it is empty.
    private func drain() async {
        while let batch = queue.takeOrFinish() {
            let result: Result<[CommitOutcome], any Error>
            do {
                result = .success(try await repository.commit(batch.map(\.item)))
            } catch {
                result = .failure(error)
            }
            queue.answer(batch, result)
        }
    }

    /// What is waiting to be committed, shared by the committer and its thread.
    private final class Queue: @unchecked Sendable {
        // Everything below is guarded by `condition`.
        private let condition = NSCondition()
        private var pending: [(item: CommitItem, waiter: Waiter)] = []
        /// Without a thread: whether a task is draining.
        private var draining = false
        private var stopped = false
        private var counts = CommitStatistics()
        private let hasThread: Bool

        init(hasThread: Bool) {
            self.hasThread = hasThread
        }

        /// Queues an item. True when the caller must start a draining task.
        func add(_ item: CommitItem, _ waiter: Waiter) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            pending.append((item, waiter))
            if hasThread {
                condition.signal()
                return false
            }
            guard !draining else { return false }
            draining = true
            return true
        }

        /// The thread's next batch, waiting for one; nil once stopped with nothing left.
        func nextBatch() -> [(item: CommitItem, waiter: Waiter)]? {
            condition.lock()
            defer { condition.unlock() }
            while pending.isEmpty {
                if stopped { return nil }
                condition.wait()
            }
            defer { pending = [] }
            return pending
        }

        /// The draining task's next batch; nil, and draining over, when there is none.
        func takeOrFinish() -> [(item: CommitItem, waiter: Waiter)]? {
            condition.lock()
            defer { condition.unlock() }
            guard !pending.isEmpty else {
                draining = false
                return nil
            }
            defer { pending = [] }
            return pending
        }

        /// Counts a committed batch and answers its waiters, or fails them all.
        func answer(_ batch: [(item: CommitItem, waiter: Waiter)], _ result: Result<[CommitOutcome], any Error>) {
            switch result {
            case .success(let outcomes) where outcomes.count != batch.count:
                // A store that answers for fewer or more items than it was given is broken;
                // nothing in the batch can be called durable.
                let error = RepositoryError.corrupt("the store answered \(outcomes.count) outcomes for \(batch.count) items")
                for entry in batch { entry.waiter.resume(throwing: error) }
            case .success(let outcomes):
                condition.lock()
                counts.transactions += 1
                counts.items += batch.count
                counts.largestBatch = max(counts.largestBatch, batch.count)
                condition.unlock()
                for (entry, outcome) in zip(batch, outcomes) { entry.waiter.resume(returning: outcome) }
            case .failure(let error):
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }

        var statistics: CommitStatistics {
            condition.lock()
            defer { condition.unlock() }
            return counts
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }
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
