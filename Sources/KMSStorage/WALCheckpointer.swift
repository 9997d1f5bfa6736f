import GRDB

/// Copies the write-ahead log into the database file from a connection of its own, on a timer,
/// so that no request's commit pays for a checkpoint.
///
/// Left to itself, SQLite checkpoints inside whichever commit takes the log past 1,000 pages:
/// that commit, and every request in its group, waits while 4 MB are copied and the database
/// file is flushed. Under load that happens several times a second and shows as the latency
/// tail. A passive checkpoint blocks neither the writer nor readers; it copies what no reader
/// still needs. Once the whole log is copied, the writer's next transaction starts the log over
/// from its beginning, so it stays bounded while the checkpointer keeps up.
public final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let task: Task<Void, Never>

    /// Starts checkpointing `repository`'s database every `interval`, and stops its writer's own
    /// checkpoints. A failed checkpoint is reported and retried at the next interval: the log
    /// only grows meanwhile, nothing is lost.
    public init(
        repository: SQLiteKeyRepository, interval: Duration, onFailure: @escaping @Sendable (any Error) -> Void = { _ in }
    ) async throws {
        try await repository.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        var configuration = Configuration()
        configuration.label = "wal-checkpointer"
        let connection = try DatabaseQueue(path: repository.path, configuration: configuration)
        self.connection = connection
        task = Task {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    _ = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                } catch {
                    onFailure(error)
                }
            }
        }
    }

    /// Stops the timer and copies what remains of the log.
    public func stop() async throws {
        task.cancel()
        _ = await task.value
        _ = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
}
