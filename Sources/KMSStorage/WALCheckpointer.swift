import GRDB

/// Copies the write-ahead log into the database file from a connection of its own, on a timer,
/// so that the checkpoints inside commits find little left to copy.
///
/// SQLite checkpoints inside whichever commit takes the log past 1,000 pages: that commit, and
/// every request in its group, waits while up to 4 MB are copied and the database file is
/// flushed. Under load that happens several times a second and shows as the latency tail. A
/// passive checkpoint from another connection blocks neither the writer nor readers, and copies
/// most of the log ahead of time.
///
/// It cannot replace the writer's own checkpoint. The log starts over from its beginning only
/// when a write transaction begins with every frame already copied, and under steady load the
/// writer appends frames while any other connection's checkpoint runs: with the writer's
/// checkpoints turned off, a 10-minute soak grew the log to 14 GB. The writer's checkpoint runs
/// between its own transactions, so it always finishes the log, and the log stays near 1,000
/// pages.
///
/// While passes find nothing new in the log, the wait between them doubles, up to ten
/// intervals and at least ``idleWait``, and the first pass that copies something goes back to
/// one: under load a pass runs every interval, but an idle server does not wake dozens of times
/// a second (at a fixed 30 ms the wake-ups alone cost about 1 % of a core).
public final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    /// On an idle server the passes back off to this wait at least, whatever the interval.
    static let idleWait = Duration.milliseconds(300)
    private let task: Task<Void, Never>

    /// Starts checkpointing `repository`'s database every `interval` while it is written. A
    /// failed checkpoint is reported and retried at the next interval; nothing is lost. A
    /// checkpoint that finds another one running (the writer's own, inside a commit) is not a
    /// failure: it skips this interval, since the other one is doing the same work.
    ///
    /// Its checkpoints also keep `reserve` bytes written ahead at the end of the database file,
    /// `reserveStep` at a time (see ``DatabaseFileReserve``).
    public init(
        repository: SQLiteKeyRepository, interval: Duration, reserve: Int64 = DatabaseFileReserve.defaultTarget,
        reserveStep: Int64 = DatabaseFileReserve.defaultStep, onFailure: @escaping @Sendable (any Error) -> Void = { _ in }
    ) async throws {
        var configuration = Configuration()
        configuration.label = "wal-checkpointer"
        configuration.prepareDatabase { db in try DatabaseFileReserve.grow(db, target: reserve, step: reserveStep) }
        let connection = try DatabaseQueue(path: repository.path, configuration: configuration)
        self.connection = connection
        task = Task {
            var lastLog: (walFrameCount: Int, checkpointedFrameCount: Int)?
            var wait = interval
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
                do {
                    let log = try await Self.checkpoint(connection)
                    if let log, let last = lastLog, log == last {
                        wait = min(wait * 2, max(interval * 10, Self.idleWait))
                    } else {
                        wait = interval
                    }
                    lastLog = log
                } catch {
                    wait = interval
                    onFailure(error)
                }
            }
        }
    }

    /// Stops the timer and copies what remains of the log.
    public func stop() async throws {
        task.cancel()
        _ = await task.value
        try await Self.checkpoint(connection)
    }

    /// One passive checkpoint: the log's frames and how many of them are now in the database
    /// file, or nil when it met another checkpoint. SQLite answers SQLITE_BUSY when another
    /// connection holds the checkpoint lock; that is skipped, not reported: under load the
    /// writer's own checkpoints meet this one often, and it is not a fault.
    @discardableResult
    private static func checkpoint(_ connection: DatabaseQueue) async throws -> (walFrameCount: Int, checkpointedFrameCount: Int)? {
        do {
            return try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return nil
        }
    }
}
